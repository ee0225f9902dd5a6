package dev.gantry.backends.tck;

import java.time.Duration;
import java.util.List;

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
 *   <li>write each of {@link #stdoutLines()} to stdout, in order, each followed by a newline;
 *   <li>write each of {@link #stderrLines()} to stderr the same way;
 *   <li>sleep for {@link #sleep()};
 *   <li>exit with {@link #exitCode()}.
 * </ol>
 *
 * <p>Lines hold printable ASCII only; the kit itself uses letters, digits, spaces and hyphens. On
 * POSIX hosts with a shell, a {@code /bin/sh -c} script is the natural way to write the command;
 * the kit's own workloads are test code, so a shell there does not contradict a backend that never
 * uses one for real work.
 *
 * @param exitCode the code to exit with, 0 to 125
 * @param sleep how long to sleep before exiting; zero for no sleep
 * @param stdoutLines the lines to write to stdout
 * @param stderrLines the lines to write to stderr
 * @param spawnsChild whether to start a background child that writes a heartbeat until killed
 * @param ignoresStopRequest whether the workload and its children ignore the polite stop request
 * @since 0.1
 */
public record Workload(
        int exitCode,
        Duration sleep,
        List<String> stdoutLines,
        List<String> stderrLines,
        boolean spawnsChild,
        boolean ignoresStopRequest) {

    /** The line a spawned child writes to stderr while it lives. */
    public static final String CHILD_HEARTBEAT = "child-alive";

    /** How often a spawned child writes its heartbeat. */
    public static final Duration CHILD_HEARTBEAT_INTERVAL = Duration.ofMillis(100);

    private static final int HIGHEST_EXIT_CODE = 125;

    public Workload {
        if (exitCode < 0 || exitCode > HIGHEST_EXIT_CODE) {
            throw new IllegalArgumentException("exitCode must be between 0 and 125, was " + exitCode);
        }
        if (sleep == null || sleep.isNegative()) {
            throw new IllegalArgumentException("sleep must not be negative");
        }
        stdoutLines = checkedLines(stdoutLines, "stdoutLines");
        stderrLines = checkedLines(stderrLines, "stderrLines");
    }

    /** A workload that prints nothing, does not sleep and exits with {@code exitCode}. */
    public static Workload exitingWith(int exitCode) {
        return new Workload(exitCode, Duration.ZERO, List.of(), List.of(), false, false);
    }

    /** This workload, sleeping for {@code duration} before it exits. */
    public Workload sleeping(Duration duration) {
        return new Workload(exitCode, duration, stdoutLines, stderrLines, spawnsChild, ignoresStopRequest);
    }

    /** This workload, writing {@code lines} to stdout. */
    public Workload printing(List<String> lines) {
        return new Workload(exitCode, sleep, lines, stderrLines, spawnsChild, ignoresStopRequest);
    }

    /** This workload, writing {@code lines} to stderr. */
    public Workload printingErrors(List<String> lines) {
        return new Workload(exitCode, sleep, stdoutLines, lines, spawnsChild, ignoresStopRequest);
    }

    /** This workload, starting a background child that writes a heartbeat until it is killed. */
    public Workload spawningChild() {
        return new Workload(exitCode, sleep, stdoutLines, stderrLines, true, ignoresStopRequest);
    }

    /** This workload, ignoring the polite stop request together with everything it spawns. */
    public Workload ignoringStopRequest() {
        return new Workload(exitCode, sleep, stdoutLines, stderrLines, spawnsChild, true);
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
}
