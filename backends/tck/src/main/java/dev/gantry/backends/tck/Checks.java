package dev.gantry.backends.tck;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link ContractRule} a test checks. When such a test fails with anything other than an
 * assertion (a {@link dev.gantry.spi.BackendException} the backend should not have thrown, say),
 * {@link RuleNamingExtension} reports the failure under this rule.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Checks {

    /** The rule the test checks. */
    ContractRule value();
}
