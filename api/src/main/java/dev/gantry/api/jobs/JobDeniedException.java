package dev.gantry.api.jobs;

import dev.gantry.policy.AdmissionDecision;

/** Admission policy denied a job; nothing was stored. */
public class JobDeniedException extends RuntimeException {

    private final transient AdmissionDecision decision;

    public JobDeniedException(AdmissionDecision decision) {
        super("job denied by admission policy: " + String.join("; ", decision.reasons()));
        this.decision = decision;
    }

    /** The decision, with its reasons and the policy revision it came from. */
    public AdmissionDecision decision() {
        return decision;
    }
}
