package dev.gantry.api.jobs;

/** Which policy a stored decision came from. */
public enum DecisionKind {
    /** Whether the job may run at all; one per job, stored with the job. */
    ADMISSION,
    /** Where an attempt may run; stored when it places an attempt or changes why the job waits. */
    PLACEMENT
}
