package dev.gantry.backends.local.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to start one process.
 *
 * @param executable the absolute path of the program to execute
 * @param arguments the argument vector, starting with the name the program sees as its own
 * @param environment the complete environment of the process, which may hold secrets
 * @param workingDirectory the absolute directory the process starts in
 * @param stdout the file standard output is appended to, created when missing
 * @param stderr the file standard error is appended to, created when missing
 */
public record SpawnSpec(
        Path executable,
        List<String> arguments,
        Map<String, String> environment,
        Path workingDirectory,
        Path stdout,
        Path stderr) {

    public SpawnSpec {
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        for (Path path : List.of(executable, workingDirectory, stdout, stderr)) {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("executable, workingDirectory, stdout and stderr must be absolute");
            }
        }
    }

    /** Shows the names of the environment variables but never their values, which may be secrets. */
    @Override
    public String toString() {
        return "SpawnSpec[executable=" + executable + ", arguments=" + arguments
                + ", environment=" + environment.keySet() + ", workingDirectory=" + workingDirectory
                + ", stdout=" + stdout + ", stderr=" + stderr + "]";
    }
}
