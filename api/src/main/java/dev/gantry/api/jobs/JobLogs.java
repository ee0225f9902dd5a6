package dev.gantry.api.jobs;

import dev.gantry.api.backends.BackendRegistry;
import dev.gantry.api.web.InvalidRequestException;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.RunHandle;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reads the output of a job's attempt from its backend, whole or followed as it grows.
 *
 * <p>Without {@code follow} the stream ends at the output written so far. With it, the stream waits
 * for the job's first attempt when there is none yet, and ends when that attempt has ended and all
 * its output has been sent. A job that is retried is followed through one attempt only; ask again
 * with {@code attempt} for another.
 */
@Singleton
public class JobLogs {

    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final int PAGE_BYTES = 64 * 1024;

    private final JobService service;
    private final BackendRegistry backends;

    public JobLogs(JobService service, BackendRegistry backends) {
        this.service = service;
        this.backends = backends;
    }

    /**
     * What to read.
     *
     * @param attempt the attempt number, or null for the latest
     * @param stream {@code stdout} or {@code stderr}
     * @param offset the byte of the stream to start from, 0 for the beginning
     */
    public record Request(String jobId, Integer attempt, String stream, boolean follow, long offset) {
    }

    /**
     * Checks the request and returns the output as a stream of byte chunks.
     *
     * @throws JobNotFoundException when there is no such job
     * @throws InvalidRequestException when the stream or attempt named does not exist, or the offset
     *     is negative
     */
    public Flux<byte[]> read(Request request) {
        service.record(request.jobId());
        LogStream stream = streamOf(request.stream());
        checkAttempt(request);
        if (request.offset() < 0) {
            throw InvalidRequestException.of("offset", "must not be negative");
        }
        AtomicLong offset = new AtomicLong(request.offset());
        return Flux.interval(Duration.ZERO, POLL_INTERVAL)
                .onBackpressureDrop()
                .concatMap(tick -> Mono.fromCallable(() -> nextPages(request, stream, offset))
                        .subscribeOn(Schedulers.boundedElastic()), 1)
                .takeUntil(Pages::last)
                .concatMapIterable(Pages::data);
    }

    /**
     * Whether the requested stream was cut at its backend's size cap, as far as is known now: a run
     * still writing may reach the cap later.
     */
    public boolean truncated(Request request) {
        Optional<AttemptRecord> attempt = attemptOf(request);
        if (attempt.isEmpty() || !attempt.get().isLaunched()) {
            return false;
        }
        Optional<Backend> backend = backends.find(attempt.get().backendId());
        if (backend.isEmpty()) {
            return false;
        }
        try {
            return backend.get().logs(handleOf(attempt.get()), streamOf(request.stream()), 0, 1).truncated();
        } catch (BackendException e) {
            // The output is then unreadable too, which the body shows by being empty.
            return false;
        }
    }

    private Pages nextPages(Request request, LogStream stream, AtomicLong offset) {
        JobRecord job = service.record(request.jobId());
        Optional<AttemptRecord> attempt = attemptOf(request);
        if (attempt.isEmpty() || !attempt.get().isLaunched()) {
            boolean waitMore = request.follow() && !job.state().isTerminal();
            return new Pages(List.of(), !waitMore);
        }
        // Read the attempt's state before its output, so "ended" implies all output is readable.
        boolean ended = attempt.get().state() == AttemptState.ENDED;
        Optional<Backend> backend = backends.find(attempt.get().backendId());
        if (backend.isEmpty()) {
            return new Pages(List.of(), true);
        }
        return drain(backend.get(), handleOf(attempt.get()), stream, offset, !request.follow() || ended);
    }

    private static Pages drain(Backend backend, RunHandle handle, LogStream stream, AtomicLong offset, boolean last) {
        List<byte[]> pages = new java.util.ArrayList<>();
        try {
            while (true) {
                LogChunk chunk = backend.logs(handle, stream, offset.get(), PAGE_BYTES);
                byte[] data = chunk.data();
                if (data.length == 0) {
                    return new Pages(pages, last);
                }
                pages.add(data);
                offset.set(chunk.nextOffset());
            }
        } catch (BackendException e) {
            return new Pages(pages, true);
        }
    }

    private Optional<AttemptRecord> attemptOf(Request request) {
        List<AttemptRecord> attempts = service.attemptsOf(request.jobId());
        if (request.attempt() != null) {
            return attempts.stream().filter(a -> a.number() == request.attempt()).findFirst();
        }
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    private void checkAttempt(Request request) {
        if (request.attempt() == null) {
            return;
        }
        boolean known = service.attemptsOf(request.jobId()).stream().anyMatch(a -> a.number() == request.attempt());
        if (!known) {
            throw InvalidRequestException.of("attempt", "job " + request.jobId() + " has no attempt "
                    + request.attempt());
        }
    }

    private static LogStream streamOf(String name) {
        String value = name == null ? "stdout" : name.toLowerCase(Locale.ROOT);
        return switch (value) {
            case "stdout" -> LogStream.STDOUT;
            case "stderr" -> LogStream.STDERR;
            default -> throw InvalidRequestException.of(
                    "stream", "'" + name + "' is not a stream; use stdout or stderr");
        };
    }

    private static RunHandle handleOf(AttemptRecord attempt) {
        return new RunHandle(attempt.id(), attempt.handleReference(), attempt.handleVersion());
    }

    private record Pages(List<byte[]> data, boolean last) {
    }
}
