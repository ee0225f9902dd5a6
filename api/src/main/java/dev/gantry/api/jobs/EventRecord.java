package dev.gantry.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One stored lifecycle event. Events of a job are read back in {@code seq} order.
 *
 * @param seq assigned by the database on insert; null before
 * @param type what happened, such as {@code SUBMITTED} or {@code ATTEMPT_ENDED}
 * @param state the job's state after the event
 * @param attempt the attempt number the event is about, if any
 */
@MappedEntity("job_events")
public record EventRecord(
        @Id @GeneratedValue @Nullable Long seq,
        String jobId,
        Instant at,
        String type,
        JobState state,
        @Nullable Integer attempt,
        @Nullable String message) {
}
