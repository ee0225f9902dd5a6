package dev.gantry.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A stored job: its descriptor as admitted and where it is now.
 *
 * @param spec the descriptor in its REST form with every default written out
 * @param cpu the cores one attempt requests, copied from the spec for usage queries
 * @param memoryBytes the memory one attempt requests, copied from the spec for usage queries
 * @param requestDigest SHA-256 of the request as received, to compare idempotent retries
 * @param admission the admission decision as JSON
 * @param waitingReason why the job is still waiting, when it is
 * @param waitingDetail the same backend by backend, as the JSON form of {@link Waiting}, when the
 *     scheduler has considered the job
 * @param nextRunAt when a job in {@link JobState#RETRYING} may start its next attempt
 */
@MappedEntity("jobs")
public record JobRecord(
        @Id String id,
        String tenant,
        String name,
        JobState state,
        int priority,
        String spec,
        double cpu,
        long memoryBytes,
        @Nullable String idempotencyKey,
        String requestDigest,
        String traceId,
        String admission,
        @Nullable String waitingReason,
        @Nullable String waitingDetail,
        int maxAttempts,
        int attemptCount,
        boolean cancelRequested,
        @Nullable Instant nextRunAt,
        Instant createdAt,
        Instant updatedAt) {
}
