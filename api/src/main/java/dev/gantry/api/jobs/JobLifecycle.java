package dev.gantry.api.jobs;

import dev.gantry.api.policy.ShadowPolicy;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.spi.RunHandle;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Owns every change of a job's state and writes the event for it in the same transaction, so the
 * stored history always matches the stored state.
 *
 * <p>The API threads, the scheduler and the monitor all call it concurrently. Changes to one job are
 * serialised by a lock striped on the job id, and each method re-reads the job inside its
 * transaction before deciding, so a decision is never made on a stale copy. Methods block on the
 * database; a failed transaction changes nothing and its exception reaches the caller.
 */
@Singleton
public class JobLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(JobLifecycle.class);
    private static final int LOCK_STRIPES = 64;

    /**
     * How many attempts a job may lose to its backend (host gone, control plane crash before an exit
     * was collected) on top of its own retry budget: a lost attempt has no outcome, so it should not
     * use up a retry the job asked for, but a backend that keeps losing work must not loop forever.
     */
    static final int MAX_LOST_ATTEMPTS = 3;

    private final JobRepository jobs;
    private final AttemptRepository attempts;
    private final EventRepository events;
    private final LabelRepository labels;
    private final DecisionRepository decisions;
    private final DecisionLog decisionLog;
    private final ShadowPolicy shadow;
    private final TransactionOperations<Connection> transactions;
    private final Clock clock;
    private final JobSpecJson specs;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    public JobLifecycle(
            JobRepository jobs,
            AttemptRepository attempts,
            EventRepository events,
            LabelRepository labels,
            DecisionRepository decisions,
            DecisionLog decisionLog,
            ShadowPolicy shadow,
            TransactionOperations<Connection> transactions,
            Clock clock,
            JobSpecJson specs) {
        this.jobs = jobs;
        this.attempts = attempts;
        this.events = events;
        this.labels = labels;
        this.decisions = decisions;
        this.decisionLog = decisionLog;
        this.shadow = shadow;
        this.transactions = transactions;
        this.clock = clock;
        this.specs = specs;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * Stores a newly admitted job in {@link JobState#PENDING} with its labels, first event and the
     * admission decision that let it in, all or nothing.
     */
    public JobRecord create(
            JobRecord job, Map<String, String> jobLabels, String message, DecisionRecord admission) {
        inTransaction(() -> {
            jobs.save(job);
            jobLabels.forEach((name, value) ->
                    labels.save(new LabelRecord(new LabelRecord.Key(job.id(), name), value)));
            events.save(event(job.id(), "SUBMITTED", JobState.PENDING, null, message));
            decisions.save(admission);
            return job;
        });
        LOG.atInfo().addKeyValue("jobId", job.id()).addKeyValue("tenant", job.tenant())
                .addKeyValue("traceId", job.traceId()).log("job admitted");
        return job;
    }

    /**
     * Records the job's next attempt on {@code backendId}, with the placement decision that chose
     * it, and moves the job to {@link JobState#SCHEDULED}. Returns empty, storing nothing, when the
     * job is no longer waiting, for example because it was cancelled since the scheduler read it.
     *
     * @param input the placement input the decision was made from, as JSON
     */
    public Optional<AttemptRecord> beginAttempt(
            String jobId, String backendId, PlacementDecision decision, String input) {
        return locked(jobId, () -> inTransaction(() -> {
            JobRecord job = jobs.findById(jobId).orElse(null);
            if (job == null || job.cancelRequested() || !isWaiting(job.state())) {
                return Optional.<AttemptRecord>empty();
            }
            int number = job.attemptCount() + 1;
            Instant now = clock.instant();
            var attempt = new AttemptRecord(
                    jobId + "-" + number, jobId, number, backendId, null, null, AttemptState.SCHEDULED, now,
                    null, null, null, null, null, null);
            attempts.save(attempt);
            jobs.updateForAttempt(jobId, JobState.SCHEDULED.name(), number, now);
            events.save(event(jobId, "SCHEDULED", JobState.SCHEDULED, number, "placed on backend " + backendId));
            decisions.save(decisionLog.placement(
                    jobId, number, decision, input, backendId,
                    "attempt " + number + " placed on backend " + backendId));
            shadow.afterPlacement(jobId, input, decision);
            return Optional.of(attempt);
        }));
    }

    /** Stores the handle a backend issued for an attempt. */
    public AttemptRecord launched(AttemptRecord attempt, RunHandle handle) {
        return locked(attempt.jobId(), () -> inTransaction(() -> {
            AttemptRecord current = attempts.findById(attempt.id()).orElseThrow();
            var updated = new AttemptRecord(
                    current.id(), current.jobId(), current.number(), current.backendId(), handle.reference(),
                    handle.formatVersion(), current.state(), current.createdAt(), current.startedAt(),
                    current.endedAt(), current.exitCode(), current.exitSignal(), current.endReason(),
                    current.message());
            attempts.update(updated);
            return updated;
        }));
    }

    /**
     * Takes back an attempt the backend refused for lack of room, as if it never happened: the job
     * waits again in {@link JobState#PENDING} (or {@link JobState#RETRYING}) without losing an attempt.
     */
    public void requeue(AttemptRecord attempt, Waiting waiting) {
        String reason = waiting.reason();
        locked(attempt.jobId(), () -> inTransaction(() -> {
            JobRecord job = jobs.findById(attempt.jobId()).orElseThrow();
            attempts.deleteById(attempt.id());
            JobState state = attempt.number() > 1 ? JobState.RETRYING : JobState.PENDING;
            jobs.updateForAttempt(job.id(), state.name(), attempt.number() - 1, clock.instant());
            jobs.updateWaitingReason(job.id(), reason, decisionLog.json(waiting), clock.instant());
            events.save(event(job.id(), "REQUEUED", state, attempt.number(), reason));
            return null;
        }));
    }

    /** Records that an attempt's work is executing; repeated calls change nothing. */
    public void started(AttemptRecord attempt, Instant startedAt) {
        Optional<JobRecord> changed = locked(attempt.jobId(), () -> inTransaction(() -> {
            AttemptRecord current = attempts.findById(attempt.id()).orElse(null);
            if (current == null || current.state() != AttemptState.SCHEDULED) {
                return Optional.<JobRecord>empty();
            }
            attempts.update(withProgress(current, AttemptState.RUNNING, startedAt));
            JobRecord job = jobs.findById(attempt.jobId()).orElseThrow();
            if (job.state() == JobState.SCHEDULED) {
                jobs.updateState(job.id(), JobState.RUNNING.name(), null, null, clock.instant());
                events.save(event(job.id(), "RUNNING", JobState.RUNNING, current.number(), "running"));
            }
            return Optional.of(job);
        }));
        changed.ifPresent(job -> logAttempt(job, attempt).log("attempt running"));
    }

    /**
     * Records how an attempt ended and decides what happens to the job: completed, retried after a
     * backoff, failed, or cancelled. Repeated calls for an ended attempt change nothing.
     *
     * @return the job's state afterwards
     */
    public JobState ended(AttemptRecord attempt, AttemptEnd end) {
        return locked(attempt.jobId(), () -> {
            Ending ending = inTransaction(() -> {
                AttemptRecord current = attempts.findById(attempt.id()).orElse(null);
                JobRecord job = jobs.findById(attempt.jobId()).orElseThrow();
                if (current == null || current.state() == AttemptState.ENDED) {
                    return new Ending(job, job.state(), false);
                }
                attempts.update(withEnd(current, end));
                return new Ending(job, decideAfter(job, current, end), true);
            });
            if (ending.changed()) {
                logAttempt(ending.job(), attempt).addKeyValue("endReason", end.reason())
                        .addKeyValue("exitCode", end.exitCode()).addKeyValue("jobState", ending.state())
                        .log("attempt ended");
            }
            return ending.state();
        });
    }

    /**
     * Asks for a job to be cancelled. A waiting job is cancelled at once; a job with an active
     * attempt is marked, and the monitor stops its run and then records the cancellation. Cancelling
     * a job that has ended changes nothing.
     *
     * @return the job afterwards, or empty when there is no such job
     */
    public Optional<JobRecord> requestCancel(String jobId) {
        Optional<JobRecord> result = locked(jobId, () -> inTransaction(() -> {
            JobRecord job = jobs.findById(jobId).orElse(null);
            if (job == null || job.state().isTerminal() || job.cancelRequested()) {
                return Optional.ofNullable(job);
            }
            Instant now = clock.instant();
            jobs.markCancelRequested(jobId, now);
            if (isWaiting(job.state())) {
                jobs.updateState(jobId, JobState.CANCELLED.name(), null, null, now);
                events.save(event(jobId, "CANCELLED", JobState.CANCELLED, null, "cancelled before it ran"));
            } else {
                events.save(event(jobId, "CANCEL_REQUESTED", job.state(), job.attemptCount(), "cancel requested"));
            }
            return jobs.findById(jobId);
        }));
        result.ifPresent(job -> LOG.atInfo().addKeyValue("jobId", jobId).addKeyValue("tenant", job.tenant())
                .addKeyValue("traceId", job.traceId()).log("job cancel requested"));
        return result;
    }

    /**
     * Notes why a waiting job cannot start yet, when that reason changed, with the placement
     * decision behind it. An unchanged reason stores nothing, so a job waiting through many
     * scheduler passes logs one decision per reason, not one per pass.
     *
     * @param waiting why, in one line and backend by backend
     * @param decision the placement decision that left the job waiting, or null when none was made
     * @param input the placement input of {@code decision}, as JSON; null when no decision was made
     */
    public void waiting(JobRecord job, Waiting waiting, PlacementDecision decision, String input) {
        String reason = waiting.reason();
        if (reason.equals(job.waitingReason())) {
            return;
        }
        locked(job.id(), () -> inTransaction(() -> {
            jobs.updateWaitingReason(job.id(), reason, decisionLog.json(waiting), clock.instant());
            if (decision != null) {
                decisions.save(decisionLog.placement(job.id(), null, decision, input, null, reason));
                shadow.afterPlacement(job.id(), input, decision);
            }
            return null;
        }));
    }

    private JobState decideAfter(JobRecord job, AttemptRecord attempt, AttemptEnd end) {
        Instant now = clock.instant();
        int lost = attempts.countByJobIdAndEndReason(job.id(), EndReason.BACKEND_LOST);
        JobState next = nextState(job, end, lost);
        Instant nextRunAt = null;
        if (next == JobState.RETRYING) {
            var spec = specs.read(job.spec()).retry();
            nextRunAt = now.plus(spec.backoffBefore(job.attemptCount() + 1));
        }
        jobs.updateState(job.id(), next.name(), nextRunAt, null, now);
        events.save(event(job.id(), "ATTEMPT_ENDED", next, attempt.number(), end.describe()));
        String message = switch (next) {
            case RETRYING -> "attempt " + (attempt.number() + 1) + " starts at " + nextRunAt;
            case COMPLETED -> "completed";
            case CANCELLED -> "cancelled";
            case FAILED -> "failed after " + attempt.number() + " attempt(s): " + end.describe();
            case PENDING, SCHEDULED, RUNNING -> next.name().toLowerCase();
        };
        events.save(event(job.id(), next.name(), next, attempt.number(), message));
        return next;
    }

    /**
     * What follows an attempt's end. {@code lost} counts the job's attempts lost to the backend,
     * this one included, which do not use up the job's own retries.
     */
    static JobState nextState(JobRecord job, AttemptEnd end, int lost) {
        if (end.reason() == EndReason.EXITED && end.exitCode() != null && end.exitCode() == 0) {
            return JobState.COMPLETED;
        }
        if (job.cancelRequested() || end.reason() == EndReason.CANCELLED) {
            return JobState.CANCELLED;
        }
        if (end.reason() == EndReason.BACKEND_LOST && lost <= MAX_LOST_ATTEMPTS) {
            return JobState.RETRYING;
        }
        int excused = Math.min(lost, MAX_LOST_ATTEMPTS);
        if (end.retryable() && job.attemptCount() - excused < job.maxAttempts()) {
            return JobState.RETRYING;
        }
        return JobState.FAILED;
    }

    private static LoggingEventBuilder logAttempt(JobRecord job, AttemptRecord attempt) {
        return LOG.atInfo().addKeyValue("jobId", job.id()).addKeyValue("attempt", attempt.number())
                .addKeyValue("tenant", job.tenant()).addKeyValue("backendId", attempt.backendId())
                .addKeyValue("traceId", job.traceId());
    }

    /** The outcome of recording an attempt's end. */
    private record Ending(JobRecord job, JobState state, boolean changed) {
    }

    private static boolean isWaiting(JobState state) {
        return state == JobState.PENDING || state == JobState.RETRYING;
    }

    private static AttemptRecord withProgress(AttemptRecord a, AttemptState state, Instant startedAt) {
        return new AttemptRecord(
                a.id(), a.jobId(), a.number(), a.backendId(), a.handleReference(), a.handleVersion(), state,
                a.createdAt(), startedAt, a.endedAt(), a.exitCode(), a.exitSignal(), a.endReason(), a.message());
    }

    private static AttemptRecord withEnd(AttemptRecord a, AttemptEnd end) {
        Instant startedAt = a.startedAt() != null ? a.startedAt() : end.startedAt();
        return new AttemptRecord(
                a.id(), a.jobId(), a.number(), a.backendId(), a.handleReference(), a.handleVersion(),
                AttemptState.ENDED, a.createdAt(), startedAt, end.endedAt(), end.exitCode(), end.signal(),
                end.reason(), truncate(end.message()));
    }

    private EventRecord event(String jobId, String type, JobState state, Integer attempt, String message) {
        return new EventRecord(null, jobId, clock.instant(), type, state, attempt, truncate(message));
    }

    private static String truncate(String message) {
        if (message == null || message.length() <= 2000) {
            return message;
        }
        return message.substring(0, 2000);
    }

    private <T> T inTransaction(Supplier<T> work) {
        return transactions.executeWrite(status -> work.get());
    }

    private <T> T locked(String jobId, Supplier<T> work) {
        ReentrantLock lock = locks[Math.floorMod(jobId.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
