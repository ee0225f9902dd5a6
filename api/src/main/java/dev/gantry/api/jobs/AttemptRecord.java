package dev.gantry.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A stored attempt of a job on one backend.
 *
 * @param id the attempt id, {@code <job id>-<number>}; backends make launch idempotent on it
 * @param handleReference the backend's run reference once launch returned
 * @param state {@link AttemptState} as text
 */
@MappedEntity("attempts")
public record AttemptRecord(
        @Id String id,
        String jobId,
        int number,
        String backendId,
        @Nullable String handleReference,
        @Nullable Integer handleVersion,
        AttemptState state,
        Instant createdAt,
        @Nullable Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable Integer exitCode,
        @Nullable String exitSignal,
        @Nullable EndReason endReason,
        @Nullable String message) {

    /** Whether the backend has acknowledged the launch and issued a handle. */
    public boolean isLaunched() {
        return handleReference != null && handleVersion != null;
    }
}
