package dev.gantry.backends.local.internal;

import java.util.regex.Pattern;

/** Which attempt ids the backend accepts: safe as a single file name, so never a path. */
public final class AttemptIds {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

    private AttemptIds() {
    }

    /**
     * Whether {@code attemptId} is 1 to 200 letters, digits, dots, underscores and hyphens, not
     * starting with a dot, underscore or hyphen.
     */
    public static boolean isValid(String attemptId) {
        return attemptId != null && SAFE.matcher(attemptId).matches();
    }
}
