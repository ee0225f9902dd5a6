package dev.gantry.backends.local.internal;

import dev.gantry.spi.Secret;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment of an attempt's process: exactly the variables the job asked for and its
 * environment secrets, over a small safe base. Nothing of the JVM's own environment ever reaches
 * the child.
 */
public final class ChildEnvironment {

    /** The search path a job gets when it sets none. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /** The locale a job gets when it sets none. */
    public static final String DEFAULT_LANG = "C.UTF-8";

    /** The variable that tells an attempt with file secrets the directory they are in. */
    public static final String SECRETS_DIRECTORY = Secret.SECRETS_DIR_VARIABLE;

    private ChildEnvironment() {
    }

    /**
     * The job's variables over the base of {@code PATH}, {@code HOME} and {@code LANG}; then the
     * {@link Secret.Target#ENV} secrets, which win over a job variable of the same name; then,
     * when there is any {@link Secret.Target#FILE} secret, {@value #SECRETS_DIRECTORY} naming
     * {@code secretsDirectory}.
     */
    public static Map<String, String> of(
            Map<String, String> requested, List<Secret> secrets, Path home, Path secretsDirectory) {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", DEFAULT_PATH);
        environment.put("HOME", home.toString());
        environment.put("LANG", DEFAULT_LANG);
        environment.putAll(requested);
        for (Secret secret : secrets) {
            if (secret.target() == Secret.Target.ENV) {
                environment.put(secret.name(), secret.value());
            }
        }
        if (hasFileSecrets(secrets)) {
            environment.put(SECRETS_DIRECTORY, secretsDirectory.toString());
        }
        return Map.copyOf(environment);
    }

    /** Whether any of {@code secrets} goes into a file. */
    public static boolean hasFileSecrets(List<Secret> secrets) {
        return secrets.stream().anyMatch(secret -> secret.target() == Secret.Target.FILE);
    }

    /** Whether {@code name} can be a variable name: not empty, with no {@code =} and no NUL. */
    public static boolean isValidName(String name) {
        return !name.isEmpty() && name.indexOf('=') < 0 && name.indexOf('\0') < 0;
    }
}
