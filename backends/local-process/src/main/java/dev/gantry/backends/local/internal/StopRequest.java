package dev.gantry.backends.local.internal;

import dev.gantry.spi.RunState;
import java.time.Instant;

/**
 * The backend's decision to stop a live attempt: why, when it asked the process group to stop,
 * and when it forces it.
 *
 * @param reason {@link RunState#CANCELLED} or {@link RunState#TIMED_OUT}
 * @param requestedAt when the polite request (SIGTERM) went out
 * @param killAt when the group is killed (SIGKILL) if it is still there
 */
public record StopRequest(RunState reason, Instant requestedAt, Instant killAt) {

    public StopRequest {
        if (reason != RunState.CANCELLED && reason != RunState.TIMED_OUT) {
            throw new IllegalArgumentException("a stop is a cancel or a timeout, not " + reason);
        }
    }

    /** This request, forcing the stop at {@code time} instead when that is sooner. */
    public StopRequest killingBy(Instant time) {
        return time.isBefore(killAt) ? new StopRequest(reason, requestedAt, time) : this;
    }
}
