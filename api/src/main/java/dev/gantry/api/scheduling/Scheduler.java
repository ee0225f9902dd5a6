package dev.gantry.api.scheduling;

import dev.gantry.api.GantryConfiguration;
import dev.gantry.api.backends.BackendRegistry;
import dev.gantry.api.jobs.AttemptEnd;
import dev.gantry.api.jobs.AttemptRecord;
import dev.gantry.api.jobs.AttemptRepository;
import dev.gantry.api.jobs.AttemptState;
import dev.gantry.api.jobs.EndReason;
import dev.gantry.api.jobs.JobLifecycle;
import dev.gantry.api.jobs.JobRecord;
import dev.gantry.api.jobs.JobRepository;
import dev.gantry.api.jobs.JobSpec;
import dev.gantry.api.jobs.JobSpecJson;
import dev.gantry.api.jobs.TenantUsage;
import dev.gantry.api.jobs.TraceIds;
import dev.gantry.api.jobs.Waiting;
import dev.gantry.api.policy.PolicyMetrics;
import dev.gantry.policy.PolicyException;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places waiting jobs on backends and launches their attempts.
 *
 * <p>One thread runs a pass whenever it is woken (a submission, a finished run) or its interval
 * passes. A pass takes the runnable jobs, highest priority and oldest first; asks placement policy
 * which backends may take each one; and launches it on the first of those with room now. A job that
 * fits nowhere stays waiting with the reason recorded: work is never dropped for lack of capacity.
 *
 * <p>An attempt is stored before its launch, so a crash between the two leaves a record the next
 * control plane launches again under the same attempt id, which backends absorb.
 */
@Singleton
public class Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    private static final int BATCH = 100;

    private final JobRepository jobs;
    private final AttemptRepository attempts;
    private final JobLifecycle lifecycle;
    private final JobSpecJson specs;
    private final BackendRegistry backends;
    private final Placement placement;
    private final PolicyMetrics metrics;
    private final Wakeups wakeups;
    private final GantryConfiguration configuration;
    private final Clock clock;
    private final LoopThread loop;

    public Scheduler(
            JobRepository jobs,
            AttemptRepository attempts,
            JobLifecycle lifecycle,
            JobSpecJson specs,
            BackendRegistry backends,
            Placement placement,
            PolicyMetrics metrics,
            Wakeups wakeups,
            GantryConfiguration configuration,
            Clock clock) {
        this.jobs = jobs;
        this.attempts = attempts;
        this.lifecycle = lifecycle;
        this.specs = specs;
        this.backends = backends;
        this.placement = placement;
        this.metrics = metrics;
        this.wakeups = wakeups;
        this.configuration = configuration;
        this.clock = clock;
        this.loop = new LoopThread("gantry-scheduler", this::pass, wakeups::awaitScheduler, wakeups::wakeScheduler,
                configuration.getSchedulerInterval());
    }

    @EventListener
    void onStartup(StartupEvent event) {
        relaunchUnacknowledged();
        loop.start();
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        loop.stop();
    }

    /** Runs one scheduling pass. Called by the loop thread only. */
    void pass() {
        // One usage query per tenant and pass, read again once the tenant's usage changes: jobs
        // that go on waiting are placed every pass, and their tenant's usage rarely moves.
        Map<String, TenantUsage> usage = new HashMap<>();
        for (JobRecord job : jobs.findRunnable(clock.instant(), BATCH)) {
            if (loop.stopping()) {
                return;
            }
            if (schedule(job, usage.computeIfAbsent(job.tenant(), jobs::usageOf))) {
                usage.remove(job.tenant());
            }
        }
    }

    /** Places and launches one job, or notes why it waits; returns whether an attempt began. */
    private boolean schedule(JobRecord job, TenantUsage usage) {
        JobSpec spec = specs.read(job.spec());
        Placement.Result placed;
        try {
            placed = placement.place(spec, usage);
            metrics.placed(placed.decision(), PolicyMetrics.Source.SCHEDULER);
        } catch (PolicyException e) {
            metrics.placementUnavailable(PolicyMetrics.Source.SCHEDULER);
            String reason = "waiting: placement policy unavailable: " + e.getMessage();
            if (!reason.equals(job.waitingReason())) {
                // Once per job and reason, not once per pass while the policy stays unavailable.
                LOG.atWarn().addKeyValue("jobId", job.id()).addKeyValue("tenant", job.tenant())
                        .addKeyValue("traceId", job.traceId()).setCause(e).log("placement policy unavailable");
            }
            lifecycle.waiting(job, new Waiting(reason, List.of(), List.of()), null, null);
            return false;
        }
        Resources request = Placement.requestOf(spec);
        Optional<Backend> chosen = placed.firstWithRoom(request);
        if (chosen.isEmpty()) {
            lifecycle.waiting(job, placed.waiting(request), placed.decision(), placed.input());
            return false;
        }
        String backendId = chosen.get().describe().id();
        Optional<AttemptRecord> attempt =
                lifecycle.beginAttempt(job.id(), backendId, placed.decision(), placed.input());
        attempt.ifPresent(begun -> launch(job, spec, chosen.get(), begun));
        return attempt.isPresent();
    }

    private void launch(JobRecord job, JobSpec spec, Backend backend, AttemptRecord attempt) {
        LaunchRequest request = launchRequest(job, spec, attempt);
        try {
            RunHandle handle = backend.launch(request);
            lifecycle.launched(attempt, handle);
            LOG.atInfo().addKeyValue("jobId", job.id()).addKeyValue("attempt", attempt.number())
                    .addKeyValue("tenant", job.tenant()).addKeyValue("backendId", attempt.backendId())
                    .addKeyValue("traceId", job.traceId()).log("attempt launched");
            wakeups.wakeMonitor();
        } catch (BackendException e) {
            launchFailed(job, attempt, e);
        } catch (RuntimeException e) {
            launchFailed(job, attempt, new BackendException(
                    BackendException.Kind.INTERNAL, "backend " + attempt.backendId() + " failed: " + e, e));
        }
    }

    private void launchFailed(JobRecord job, AttemptRecord attempt, BackendException e) {
        if (e.kind() == BackendException.Kind.CAPACITY) {
            String backendId = attempt.backendId();
            lifecycle.requeue(attempt, new Waiting("waiting: " + backendId + ": " + e.getMessage(), List.of(),
                    List.of(new Waiting.Obstacle(backendId, Waiting.Kind.CAPACITY, e.getMessage()))));
            return;
        }
        LOG.atWarn().addKeyValue("jobId", job.id()).addKeyValue("attempt", attempt.number())
                .addKeyValue("backendId", attempt.backendId()).addKeyValue("traceId", job.traceId())
                .addKeyValue("kind", e.kind()).setCause(e).log("attempt launch failed");
        var now = clock.instant();
        lifecycle.ended(attempt, new AttemptEnd(
                EndReason.LAUNCH_FAILED, null, null, null, now, e.getMessage(), e.isRetryable()));
    }

    private LaunchRequest launchRequest(JobRecord job, JobSpec spec, AttemptRecord attempt) {
        Map<String, String> env = new TreeMap<>(spec.env());
        env.put("TRACEPARENT", TraceIds.traceparent(job.traceId(), attempt.id()));
        env.put("GANTRY_JOB_ID", job.id());
        env.put("GANTRY_ATTEMPT", Integer.toString(attempt.number()));
        return new LaunchRequest(
                attempt.id(), job.id(), attempt.number(), spec.command(), env, spec.workingDir(),
                Placement.requestOf(spec), spec.timeout(), spec.labels(), List.of());
    }

    /**
     * Launches again the attempts that were stored but never acknowledged by their backend, which
     * happens when the control plane stopped between the two. Launch is idempotent on the attempt
     * id, so an attempt the backend did start is found, not started twice.
     */
    private void relaunchUnacknowledged() {
        for (AttemptRecord attempt : attempts.findActive()) {
            if (attempt.state() != AttemptState.SCHEDULED || attempt.isLaunched()) {
                continue;
            }
            JobRecord job = jobs.findById(attempt.jobId()).orElseThrow();
            Optional<Backend> backend = backends.find(attempt.backendId());
            if (backend.isEmpty()) {
                lifecycle.ended(attempt, new AttemptEnd(EndReason.BACKEND_LOST, null, null, null, clock.instant(),
                        "backend " + attempt.backendId() + " is not available", true));
                continue;
            }
            launch(job, specs.read(job.spec()), backend.get(), attempt);
        }
    }
}
