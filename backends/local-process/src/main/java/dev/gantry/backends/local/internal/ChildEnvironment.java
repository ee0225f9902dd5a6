package dev.gantry.backends.local.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment of an attempt's process: exactly the variables the job asked for, over a small
 * safe base. Nothing of the JVM's own environment ever reaches the child.
 */
public final class ChildEnvironment {

    /** The search path a job gets when it sets none. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /** The locale a job gets when it sets none. */
    public static final String DEFAULT_LANG = "C.UTF-8";

    private ChildEnvironment() {
    }

    /**
     * The job's variables over the base of {@code PATH}, {@code HOME} (the attempt directory) and
     * {@code LANG}; the job's own values win.
     */
    public static Map<String, String> of(Map<String, String> requested, Path home) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", DEFAULT_PATH);
        environment.put("HOME", home.toString());
        environment.put("LANG", DEFAULT_LANG);
        environment.putAll(requested);
        return Map.copyOf(environment);
    }

    /** Whether {@code name} can be a variable name: not empty, with no {@code =} and no NUL. */
    public static boolean isValidName(String name) {
        return !name.isEmpty() && name.indexOf('=') < 0 && name.indexOf('\0') < 0;
    }
}
