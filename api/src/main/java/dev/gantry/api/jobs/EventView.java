package dev.gantry.api.jobs;

import java.time.Instant;

/**
 * One lifecycle event as the REST API shows it.
 *
 * @param seq the event's position; events of one job are delivered in increasing {@code seq}
 * @param type what happened, such as {@code SUBMITTED}, {@code SCHEDULED} or {@code ATTEMPT_ENDED}
 * @param state the job's state after the event
 * @param attempt the attempt the event is about, if any
 */
public record EventView(long seq, String jobId, Instant at, String type, JobState state, Integer attempt,
        String message) {

    static EventView of(EventRecord event) {
        return new EventView(event.seq(), event.jobId(), event.at(), event.type(), event.state(), event.attempt(),
                event.message());
    }
}
