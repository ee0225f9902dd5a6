package dev.gantry.api.jobs;

/** Where one attempt is. */
public enum AttemptState {
    /** Recorded and handed, or about to be handed, to its backend. */
    SCHEDULED,
    /** Executing on its backend. */
    RUNNING,
    /** Over; its end reason says why. */
    ENDED
}
