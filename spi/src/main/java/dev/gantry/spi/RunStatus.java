package dev.gantry.spi;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A run's status at one moment.
 *
 * @param state where the run is
 * @param exitCode the exit code once known; a run killed by a signal reports 128 plus the signal
 *     number, as shells do
 * @param signal the name of the signal that ended the run, such as {@code SIGKILL}, if one did
 * @param startedAt when the run started executing, once it has
 * @param endedAt when it ended, once it has
 * @param message a short human-readable explanation of the state, empty when there is nothing to
 *     add
 * @since 1.0
 */
public record RunStatus(
        RunState state,
        OptionalInt exitCode,
        Optional<String> signal,
        Optional<Instant> startedAt,
        Optional<Instant> endedAt,
        String message) {

    public RunStatus {
        if (state == null || exitCode == null || signal == null || startedAt == null || endedAt == null) {
            throw new IllegalArgumentException("state, exitCode, signal, startedAt and endedAt are required");
        }
        if (message == null) {
            message = "";
        }
    }

    /** The status of a run the backend does not know. */
    public static RunStatus unknown(String message) {
        return new RunStatus(
                RunState.UNKNOWN, OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty(), message);
    }
}
