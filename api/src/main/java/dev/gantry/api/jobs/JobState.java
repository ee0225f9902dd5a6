package dev.gantry.api.jobs;

/** Where a job is in its life. */
public enum JobState {
    /** Admitted and stored, waiting for a backend with room. */
    PENDING,
    /** An attempt has been handed to a backend and has not started executing yet. */
    SCHEDULED,
    /** An attempt is executing. */
    RUNNING,
    /** An attempt ended badly and another one will start after a backoff. */
    RETRYING,
    /** An attempt exited with code 0. */
    COMPLETED,
    /** The last attempt ended badly and no more attempts are allowed. */
    FAILED,
    /** Cancelled by a client; nothing of it is left running. */
    CANCELLED;

    /** Whether the job has ended and will not change again. */
    public boolean isTerminal() {
        return switch (this) {
            case COMPLETED, FAILED, CANCELLED -> true;
            case PENDING, SCHEDULED, RUNNING, RETRYING -> false;
        };
    }
}
