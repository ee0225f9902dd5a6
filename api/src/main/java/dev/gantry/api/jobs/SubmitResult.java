package dev.gantry.api.jobs;

/**
 * The outcome of a submission.
 *
 * @param job the stored job
 * @param created false when an earlier submission with the same idempotency key and body is returned
 */
public record SubmitResult(JobView job, boolean created) {
}
