package dev.gantry.api.jobs;

/** An {@code Idempotency-Key} was reused with a different request body. */
public class IdempotencyConflictException extends RuntimeException {

    private final String existingJobId;

    public IdempotencyConflictException(String key, String existingJobId) {
        super("Idempotency-Key '" + key + "' was already used for job " + existingJobId
                + " with a different request body");
        this.existingJobId = existingJobId;
    }

    /** The job the key was first used for. */
    public String existingJobId() {
        return existingJobId;
    }
}
