package dev.gantry.backends.tck;

import dev.gantry.spi.BackendException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Reports an unexpected exception of a test annotated with {@link Checks} as a failure of the rule
 * it names, keeping the exception as the cause. Assertion failures already name their rule and
 * skipped tests are no failure, so both pass through untouched.
 *
 * @since 0.1
 */
public final class RuleNamingExtension implements TestExecutionExceptionHandler {

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        Checks checks = context.getRequiredTestMethod().getAnnotation(Checks.class);
        if (checks == null || throwable instanceof AssertionError || throwable instanceof TestAbortedException) {
            throw throwable;
        }
        throw new AssertionError(checks.value() + ": unexpected " + describe(throwable), throwable);
    }

    /** The exception as failure messages show it: kind and message for a {@code BackendException}. */
    static String describe(Throwable throwable) {
        if (throwable instanceof BackendException failure) {
            return "BackendException " + failure.kind() + ": " + failure.getMessage();
        }
        return throwable.toString();
    }
}
