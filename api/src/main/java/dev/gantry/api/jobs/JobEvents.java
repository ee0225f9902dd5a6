package dev.gantry.api.jobs;

import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Streams a job's lifecycle events in order, from a given position, until the job has ended and
 * every event has been delivered.
 */
@Singleton
public class JobEvents {

    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final int BATCH = 500;

    private final JobRepository jobs;
    private final EventRepository events;

    public JobEvents(JobRepository jobs, EventRepository events) {
        this.jobs = jobs;
        this.events = events;
    }

    /**
     * The events of a job after {@code afterSeq} (0 for all), as they are stored.
     *
     * @throws JobNotFoundException when there is no such job
     */
    public Flux<EventView> stream(String jobId, long afterSeq) {
        if (!jobs.existsById(jobId)) {
            throw new JobNotFoundException(jobId);
        }
        AtomicLong last = new AtomicLong(afterSeq);
        return Flux.interval(Duration.ZERO, POLL_INTERVAL)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromCallable(() -> nextBatch(jobId, last))
                        .subscribeOn(Schedulers.boundedElastic()), 1)
                .takeUntil(Batch::last)
                .concatMapIterable(Batch::events);
    }

    private Batch nextBatch(String jobId, AtomicLong last) {
        // Read the state before the events: the event of a job's final transition is committed with
        // the state, so once the state reads terminal, the query below sees every event.
        boolean ended = jobs.findById(jobId).map(job -> job.state().isTerminal()).orElse(true);
        List<EventRecord> batch = events.findAfter(jobId, last.get(), BATCH);
        if (!batch.isEmpty()) {
            last.set(batch.get(batch.size() - 1).seq());
        }
        return new Batch(batch.stream().map(EventView::of).toList(), ended && batch.size() < BATCH);
    }

    private record Batch(List<EventView> events, boolean last) {
    }
}
