package dev.gantry.api.jobs;

/** Why an attempt ended. */
public enum EndReason {
    /** The work exited on its own; the exit code says how. */
    EXITED,
    /** The work outlived its timeout and was stopped. */
    TIMED_OUT,
    /** A client cancelled the job. */
    CANCELLED,
    /** The backend lost track of the work, so its end is unknown. */
    BACKEND_LOST,
    /** The backend could not start the work. */
    LAUNCH_FAILED
}
