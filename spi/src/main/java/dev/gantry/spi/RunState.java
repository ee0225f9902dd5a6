package dev.gantry.spi;

/**
 * Where a run is in its life, as its backend sees it.
 *
 * @since 1.0
 */
public enum RunState {
    /** Accepted, not yet executing (image pull, VM boot, queue). */
    STARTING,
    /** Executing. */
    RUNNING,
    /** Ended on its own; the exit code is known. */
    EXITED,
    /** Stopped by the backend because it outlived its timeout. */
    TIMED_OUT,
    /** Stopped because the control plane cancelled it. */
    CANCELLED,
    /** Gone without a known end, for example after its host disappeared. */
    LOST,
    /** The backend holds no record of this run. */
    UNKNOWN;

    /** Whether the run has ended and its status will not change again. */
    public boolean isTerminal() {
        return switch (this) {
            case EXITED, TIMED_OUT, CANCELLED, LOST -> true;
            case STARTING, RUNNING, UNKNOWN -> false;
        };
    }
}
