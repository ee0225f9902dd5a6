package dev.gantry.backends.local.internal;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the program a command names, the way {@code execvp} would in the child but in Java, so
 * that a missing program fails the launch with a clear message before anything starts.
 */
public final class Executables {

    private Executables() {
    }

    /**
     * Resolves {@code command}: a name with a {@code /} is taken as a path (relative ones against
     * {@code workingDirectory}); a bare name is looked up in each directory of
     * {@code searchPath}, where an empty entry means the working directory, as POSIX says. Returns
     * the first regular, executable file found.
     */
    public static Optional<Path> resolve(String command, String searchPath, Path workingDirectory) {
        if (command.isEmpty()) {
            return Optional.empty();
        }
        if (command.contains("/")) {
            return executable(workingDirectory, command);
        }
        for (String directory : searchPath.split(":", -1)) {
            Optional<Path> found = executable(workingDirectory.resolve(directory), command);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path base, String name) {
        try {
            Path candidate = base.resolve(name).normalize();
            return Files.isRegularFile(candidate) && Files.isExecutable(candidate)
                    ? Optional.of(candidate)
                    : Optional.empty();
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
