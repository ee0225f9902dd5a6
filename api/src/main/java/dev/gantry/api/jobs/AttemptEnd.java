package dev.gantry.api.jobs;

import java.time.Instant;

/**
 * How an attempt ended, as the monitor or the scheduler observed it.
 *
 * @param reason why it ended
 * @param exitCode its exit code, when known
 * @param signal the signal that ended it, when one did
 * @param startedAt when it started executing, when known
 * @param endedAt when it ended
 * @param message a short explanation from the backend
 * @param retryable whether another attempt may succeed where this one failed
 */
public record AttemptEnd(
        EndReason reason,
        Integer exitCode,
        String signal,
        Instant startedAt,
        Instant endedAt,
        String message,
        boolean retryable) {

    /** One line saying how the attempt ended, for events. */
    public String describe() {
        StringBuilder text = new StringBuilder(reason.name().toLowerCase().replace('_', ' '));
        if (exitCode != null) {
            text.append(", exit code ").append(exitCode);
        }
        if (signal != null) {
            text.append(" (").append(signal).append(')');
        }
        // A backend's message for a plain exit only repeats the code; for other ends it says more.
        if (reason != EndReason.EXITED && message != null && !message.isBlank()) {
            text.append(": ").append(message);
        }
        return text.toString();
    }
}
