package dev.gantry.spi;

import java.util.regex.Pattern;

/**
 * A secret value handed to a backend for one attempt only, to be placed in the run's environment
 * or in a file. A backend writes it nowhere else: not to its logs, its records, labels or
 * annotations, and not into anything that outlives the run. {@link #toString()} never shows the
 * value.
 *
 * @param name the environment variable name ({@link Target#ENV}) or the file name relative to the
 *     run's secrets directory ({@link Target#FILE})
 * @param target where the value goes
 * @param value the secret itself
 * @since 1.0
 */
public record Secret(String name, Target target, String value) {

    /** The environment variable that tells a run where its {@link Target#FILE} secrets are. */
    public static final String SECRETS_DIR_VARIABLE = "GANTRY_SECRETS_DIR";

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,255}");

    /** Where a secret is placed in the run. */
    public enum Target {
        /** An environment variable named {@link Secret#name()}. */
        ENV,
        /**
         * A file named {@link Secret#name()}, readable only by the run, removed when it ends. The
         * run finds the directory holding its secret files in the environment variable
         * {@value Secret#SECRETS_DIR_VARIABLE}.
         */
        FILE
    }

    public Secret {
        if (name == null || !SAFE_NAME.matcher(name).matches() || name.startsWith(".")) {
            throw new IllegalArgumentException("secret name '" + name + "' is not a safe variable or file name");
        }
        if (target == null || value == null) {
            throw new IllegalArgumentException("secret " + name + " needs a target and a value");
        }
    }

    @Override
    public String toString() {
        return "Secret[name=" + name + ", target=" + target + ", value=****]";
    }
}
