package dev.gantry.backends.tck;

import dev.gantry.spi.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A small, portable piece of work the kit runs on the backend under test. The author turns it into
 * a command in {@link BackendContractTest#workloadCommand(Workload)}; the kit never assumes any
 * tool on the backend's hosts beyond what that command uses.
 *
 * <p>The command must do exactly this, in this order:
 *
 * <ol>
 *   <li>when {@link #ignoresStopRequest()}, ignore the polite stop request (SIGTERM on POSIX), so
 *       that only the forced stop ends it; what it spawns ignores it too;
 *   <li>when {@link #spawnsChild()}, start a child process in the background that writes the line
 *       {@value #CHILD_HEARTBEAT} to stderr about every {@link #CHILD_HEARTBEAT_INTERVAL} until it
 *       is killed, and not wait for it;
 *   <li>for each of {@link #secretReports()}, write one line to stdout: {@code secret <name> sha256
 *       <digest>}, where the digest is the SHA-256, in lower-case hex, of the secret's value as the
 *       run sees it (the value of the environment variable {@code <name>} for
 *       {@link Secret.Target#ENV}, the bytes of the file {@code <name>} in the run's secrets
 *       directory for {@link Secret.Target#FILE}); or {@code secret <name> missing} when there is
 *       no such variable or readable file. {@link #secretReport(String, String)} and
 *       {@link #missingSecretReport(String)} build these lines. The value itself is never written
 *       anywhere, so a backend that keeps the run's output does not keep the secret;
 *   <li>write each of {@link #stdoutLines()} to stdout, in order, each followed by a newline;
 *   <li>write each of {@link #stderrLines()} to stderr the same way;
 *   <li>sleep for {@link #sleep()};
 *   <li>exit with {@link #exitCode()}.
 * </ol>
 *
 * <p>Lines hold printable ASCII only; the kit itself uses letters, digits, spaces and hyphens. On
 * POSIX hosts with a shell, a {@code /bin/sh -c} script is the natural way to write the command
 * ({@code printf %s "$NAME" | sha256sum} gives the digest of a variable); the kit's own workloads
 * are test code, so a shell there does not contradict a backend that never uses one for real work.
 *
 * @param exitCode the code to exit with, 0 to 125
 * @param sleep how long to sleep before exiting; zero for no sleep
 * @param stdoutLines the lines to write to stdout
 * @param stderrLines the lines to write to stderr
 * @param spawnsChild whether to start a background child that writes a heartbeat until killed
 * @param ignoresStopRequest whether the workload and its children ignore the polite stop request
 * @param secretReports the secrets whose digest the workload writes to stdout
 * @since 0.1
 */
public record Workload(
        int exitCode,
        Duration sleep,
        List<String> stdoutLines,
        List<String> stderrLines,
        boolean spawnsChild,
        boolean ignoresStopRequest,
        List<SecretReport> secretReports) {

    /** The line a spawned child writes to stderr while it lives. */
    public static final String CHILD_HEARTBEAT = "child-alive";

    /** How often a spawned child writes its heartbeat. */
    public static final Duration CHILD_HEARTBEAT_INTERVAL = Duration.ofMillis(100);

    private static final int HIGHEST_EXIT_CODE = 125;
    private static final String SECRET_REPORT_PREFIX = "secret ";

    public Workload {
        if (exitCode < 0 || exitCode > HIGHEST_EXIT_CODE) {
            throw new IllegalArgumentException("exitCode must be between 0 and 125, was " + exitCode);
        }
        if (sleep == null || sleep.isNegative()) {
            throw new IllegalArgumentException("sleep must not be negative");
        }
        stdoutLines = checkedLines(stdoutLines, "stdoutLines");
        stderrLines = checkedLines(stderrLines, "stderrLines");
        secretReports = List.copyOf(secretReports);
    }

    /** A workload that prints nothing, does not sleep and exits with {@code exitCode}. */
    public static Workload exitingWith(int exitCode) {
        return new Workload(exitCode, Duration.ZERO, List.of(), List.of(), false, false, List.of());
    }

    /** This workload, sleeping for {@code duration} before it exits. */
    public Workload sleeping(Duration duration) {
        return new Workload(
                exitCode, duration, stdoutLines, stderrLines, spawnsChild, ignoresStopRequest, secretReports);
    }

    /** This workload, writing {@code lines} to stdout. */
    public Workload printing(List<String> lines) {
        return new Workload(exitCode, sleep, lines, stderrLines, spawnsChild, ignoresStopRequest, secretReports);
    }

    /** This workload, writing {@code lines} to stderr. */
    public Workload printingErrors(List<String> lines) {
        return new Workload(exitCode, sleep, stdoutLines, lines, spawnsChild, ignoresStopRequest, secretReports);
    }

    /** This workload, starting a background child that writes a heartbeat until it is killed. */
    public Workload spawningChild() {
        return new Workload(exitCode, sleep, stdoutLines, stderrLines, true, ignoresStopRequest, secretReports);
    }

    /** This workload, ignoring the polite stop request together with everything it spawns. */
    public Workload ignoringStopRequest() {
        return new Workload(exitCode, sleep, stdoutLines, stderrLines, spawnsChild, true, secretReports);
    }

    /** This workload, also writing the digest of the secret {@code name} placed as {@code target}. */
    public Workload reportingSecret(Secret.Target target, String name) {
        List<SecretReport> reports = new ArrayList<>(secretReports);
        reports.add(new SecretReport(target, name));
        return new Workload(exitCode, sleep, stdoutLines, stderrLines, spawnsChild, ignoresStopRequest, reports);
    }

    /** The line a workload writes for the secret {@code name} when it sees {@code value}. */
    public static String secretReport(String name, String value) {
        return SECRET_REPORT_PREFIX + name + " sha256 " + sha256(value);
    }

    /** The line a workload writes for the secret {@code name} when it finds no such secret. */
    public static String missingSecretReport(String name) {
        return SECRET_REPORT_PREFIX + name + " missing";
    }

    private static String sha256(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static List<String> checkedLines(List<String> lines, String name) {
        List<String> copy = List.copyOf(lines);
        for (String line : copy) {
            if (!line.chars().allMatch(c -> c >= ' ' && c <= '~')) {
                throw new IllegalArgumentException(name + " must hold printable ASCII only: '" + line + "'");
            }
        }
        return copy;
    }

    /**
     * One secret whose digest a workload reports.
     *
     * @param target where the run finds the secret
     * @param name the variable or file name: letters, digits and underscores, not starting with a
     *     digit, so that it is a valid shell variable name and a plain file name alike
     */
    public record SecretReport(Secret.Target target, String name) {

        private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,254}");

        public SecretReport {
            if (target == null) {
                throw new IllegalArgumentException("target is required");
            }
            if (name == null || !PLAIN_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("secret name '" + name
                        + "' must be letters, digits and underscores, not starting with a digit");
            }
        }
    }
}
