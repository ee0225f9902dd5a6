package dev.gantry.backends.local.internal;

import dev.gantry.spi.BackendException;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.Secret;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a launch request and works out the process it asks for: the attempt directory, the
 * working directory inside it, the environment and the executable. Touches nothing on disk, and
 * reports every problem it finds in one {@link BackendException.Kind#BAD_REQUEST}, which names
 * secrets but never shows their values.
 */
public final class LaunchPlanner {

    private final Path runsDirectory;

    /** A planner that places attempt directories under {@code runsDirectory}. */
    public LaunchPlanner(Path runsDirectory) {
        this.runsDirectory = runsDirectory;
    }

    /** Plans {@code request}, or fails with every problem that makes it impossible. */
    public LaunchPlan plan(LaunchRequest request) throws BackendException {
        String attemptId = request.attemptId();
        checkAttemptId(attemptId);
        AttemptFiles files = new AttemptFiles(runsDirectory.resolve(attemptId));
        List<String> problems = new ArrayList<>();
        checkArguments(request.command(), problems);
        checkEnvironment(request.env(), problems);
        checkSecrets(request.secrets(), problems);
        Map<String, String> environment = ChildEnvironment.of(
                request.env(), request.secrets(), files.workspace(), files.secretsDirectory());
        Optional<Path> workingDirectory = workingDirectory(request.workingDirectory(), files.workspace(), problems);
        Optional<Path> executable = workingDirectory.flatMap(
                directory -> executable(request.command().get(0), environment.get("PATH"), directory, problems));
        if (!problems.isEmpty()) {
            throw new BackendException(
                    BackendException.Kind.BAD_REQUEST,
                    "cannot launch attempt " + attemptId + ": " + String.join("; ", problems));
        }
        SpawnSpec spec = new SpawnSpec(
                executable.orElseThrow(),
                request.command(),
                environment,
                workingDirectory.orElseThrow(),
                files.log(LogStream.STDOUT),
                files.log(LogStream.STDERR));
        return new LaunchPlan(request, files, spec);
    }

    /** Fails unless {@code attemptId} is safe as the name of the attempt's directory. */
    public static void checkAttemptId(String attemptId) throws BackendException {
        if (!AttemptIds.isValid(attemptId)) {
            throw new BackendException(BackendException.Kind.BAD_REQUEST, "attempt id '" + attemptId
                    + "' is not a safe file name: use 1 to 200 letters, digits, '.', '_' or '-'");
        }
    }

    private static void checkArguments(List<String> command, List<String> problems) {
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).indexOf('\0') >= 0) {
                problems.add("command argument " + i + " holds a NUL character");
            }
        }
    }

    private static void checkEnvironment(Map<String, String> environment, List<String> problems) {
        environment.forEach((name, value) -> {
            if (!ChildEnvironment.isValidName(name)) {
                problems.add("environment variable name '" + name + "' is empty or holds '=' or NUL");
            } else if (value.indexOf('\0') >= 0) {
                problems.add("environment variable " + name + " holds a NUL character");
            }
        });
    }

    private static void checkSecrets(List<Secret> secrets, List<String> problems) {
        Set<String> seen = new HashSet<>();
        boolean hasFileSecrets = ChildEnvironment.hasFileSecrets(secrets);
        for (Secret secret : secrets) {
            boolean isVariable = secret.target() == Secret.Target.ENV;
            if (!seen.add(secret.target() + ":" + secret.name())) {
                problems.add(describe(secret) + " is given more than once");
            }
            if (isVariable && secret.value().indexOf('\0') >= 0) {
                problems.add(describe(secret) + " holds a NUL character, which no environment variable can");
            }
            if (isVariable && hasFileSecrets && secret.name().equals(ChildEnvironment.SECRETS_DIRECTORY)) {
                problems.add(describe(secret) + " would hide where the file secrets are");
            }
        }
    }

    private static String describe(Secret secret) {
        return switch (secret.target()) {
            case ENV -> "environment secret '" + secret.name() + "'";
            case FILE -> "file secret '" + secret.name() + "'";
        };
    }

    private static Optional<Path> workingDirectory(String requested, Path workspace, List<String> problems) {
        if (requested.isEmpty()) {
            return Optional.of(workspace);
        }
        try {
            Path relative = Path.of(requested);
            if (relative.isAbsolute() || climbsUp(relative)) {
                problems.add("working directory '" + requested
                        + "' must be relative to the attempt's workspace and stay inside it");
                return Optional.empty();
            }
            return Optional.of(workspace.resolve(relative).normalize());
        } catch (InvalidPathException e) {
            problems.add("working directory '" + requested + "' is not a valid path");
            return Optional.empty();
        }
    }

    private static boolean climbsUp(Path relative) {
        for (Path name : relative) {
            if (name.toString().equals("..")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Path> executable(String command, String searchPath, Path directory, List<String> problems) {
        Optional<Path> executable = Executables.resolve(command, searchPath, directory);
        if (executable.isEmpty()) {
            String where = command.contains("/") ? "" : " on the attempt's PATH";
            problems.add("command '" + command + "' was not found as an executable file" + where);
        }
        return executable;
    }
}
