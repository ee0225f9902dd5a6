package dev.gantry.api.scheduling;

import dev.gantry.api.GantryConfiguration;
import dev.gantry.api.backends.BackendRegistry;
import dev.gantry.api.jobs.AttemptEnd;
import dev.gantry.api.jobs.AttemptRecord;
import dev.gantry.api.jobs.AttemptRepository;
import dev.gantry.api.jobs.EndReason;
import dev.gantry.api.jobs.JobLifecycle;
import dev.gantry.api.jobs.JobRepository;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunStatus;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every active attempt to its end.
 *
 * <p>One thread polls the backend of each active attempt, and passes early when a backend pushes a
 * change. It records when work starts executing and how it ends, and lets {@link JobLifecycle}
 * decide between completion, retry and failure. It also carries out cancellations: for a job whose
 * cancel was requested it asks the backend, once per attempt and control plane process, to stop
 * the run; the cancel runs on its own thread because it may wait out a grace period.
 */
@Singleton
public class Monitor {

    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final AttemptRepository attempts;
    private final JobRepository jobs;
    private final JobLifecycle lifecycle;
    private final BackendRegistry backends;
    private final Wakeups wakeups;
    private final GantryConfiguration configuration;
    private final Clock clock;
    private final LoopThread loop;
    private final Set<String> cancelsIssued = ConcurrentHashMap.newKeySet();
    private final ExecutorService cancels = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "gantry-cancel");
        thread.setDaemon(true);
        return thread;
    });

    public Monitor(
            AttemptRepository attempts,
            JobRepository jobs,
            JobLifecycle lifecycle,
            BackendRegistry backends,
            Wakeups wakeups,
            GantryConfiguration configuration,
            Clock clock) {
        this.attempts = attempts;
        this.jobs = jobs;
        this.lifecycle = lifecycle;
        this.backends = backends;
        this.wakeups = wakeups;
        this.configuration = configuration;
        this.clock = clock;
        this.loop = new LoopThread("gantry-monitor", this::pass, wakeups::awaitMonitor, wakeups::wakeMonitor,
                configuration.getMonitorInterval());
    }

    @EventListener
    void onStartup(StartupEvent event) {
        loop.start();
    }

    @EventListener
    void onShutdown(ShutdownEvent event) {
        loop.stop();
        cancels.shutdownNow();
    }

    /** Runs one monitoring pass. Called by the loop thread only. */
    void pass() {
        // One query for the whole pass, not one per attempt: cancellations are rare, polls are not.
        Set<String> cancelling = Set.copyOf(jobs.findCancellingIds());
        for (AttemptRecord attempt : attempts.findActive()) {
            if (loop.stopping()) {
                return;
            }
            if (attempt.isLaunched()) {
                follow(attempt, cancelling.contains(attempt.jobId()));
            }
        }
    }

    private void follow(AttemptRecord attempt, boolean cancelRequested) {
        Optional<Backend> backend = backends.find(attempt.backendId());
        if (backend.isEmpty()) {
            end(attempt, new AttemptEnd(EndReason.BACKEND_LOST, null, null, null, clock.instant(),
                    "backend " + attempt.backendId() + " is not available", true));
            return;
        }
        RunHandle handle = new RunHandle(attempt.id(), attempt.handleReference(), attempt.handleVersion());
        RunStatus status;
        try {
            status = backend.get().status(handle);
        } catch (BackendException | RuntimeException e) {
            LOG.atWarn().addKeyValue("jobId", attempt.jobId()).addKeyValue("attempt", attempt.number())
                    .addKeyValue("backendId", attempt.backendId()).setCause(e).log("attempt status unavailable");
            return;
        }
        apply(attempt, status);
        if (cancelRequested && !status.state().isTerminal()) {
            cancel(attempt, backend.get(), handle);
        }
    }

    private void apply(AttemptRecord attempt, RunStatus status) {
        switch (status.state()) {
            case STARTING -> {
                // Accepted by the backend but not executing yet: nothing to record.
            }
            case RUNNING -> lifecycle.started(attempt, status.startedAt().orElse(clock.instant()));
            case EXITED -> end(attempt, endOf(status, EndReason.EXITED, true));
            case TIMED_OUT -> end(attempt, endOf(status, EndReason.TIMED_OUT, true));
            case CANCELLED -> end(attempt, endOf(status, EndReason.CANCELLED, false));
            case LOST -> end(attempt, endOf(status, EndReason.BACKEND_LOST, true));
            case UNKNOWN -> end(attempt, new AttemptEnd(EndReason.BACKEND_LOST, null, null, null, clock.instant(),
                    "backend " + attempt.backendId() + " has no record of the run", true));
        }
    }

    private AttemptEnd endOf(RunStatus status, EndReason reason, boolean retryable) {
        Integer exitCode = status.exitCode().isPresent() ? status.exitCode().getAsInt() : null;
        Instant endedAt = status.endedAt().orElse(clock.instant());
        return new AttemptEnd(reason, exitCode, status.signal().orElse(null), status.startedAt().orElse(null),
                endedAt, status.message(), retryable);
    }

    private void end(AttemptRecord attempt, AttemptEnd end) {
        if (end.startedAt() != null) {
            lifecycle.started(attempt, end.startedAt());
        }
        lifecycle.ended(attempt, end);
        cancelsIssued.remove(attempt.id());
        wakeups.wakeScheduler();
    }

    private void cancel(AttemptRecord attempt, Backend backend, RunHandle handle) {
        if (!cancelsIssued.add(attempt.id())) {
            return;
        }
        cancels.execute(() -> {
            try {
                backend.cancel(handle, configuration.getCancelGrace());
                wakeups.wakeMonitor();
            } catch (BackendException e) {
                cancelsIssued.remove(attempt.id());
                LOG.atWarn().addKeyValue("jobId", attempt.jobId()).addKeyValue("attempt", attempt.number())
                        .addKeyValue("backendId", attempt.backendId()).setCause(e).log("attempt cancel failed");
            }
        });
    }
}
