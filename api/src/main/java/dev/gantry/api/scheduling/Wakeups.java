package dev.gantry.api.scheduling;

import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunListener;
import dev.gantry.spi.RunStatus;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets the API and the backends wake the scheduler and the monitor early instead of waiting for
 * their next tick. Also the {@link RunListener} every backend pushes status changes to: a push only
 * wakes the monitor, which then reads the status through the backend like any poll.
 */
@Singleton
public class Wakeups implements RunListener {

    private final Semaphore scheduler = new Semaphore(0);
    private final Semaphore monitor = new Semaphore(0);

    /** Asks the scheduler to run a pass soon, for example after a submission. */
    public void wakeScheduler() {
        signal(scheduler);
    }

    /** Asks the monitor to run a pass soon, for example after a cancel request. */
    public void wakeMonitor() {
        signal(monitor);
    }

    @Override
    public void statusChanged(RunHandle handle, RunStatus status) {
        signal(monitor);
        if (status.state().isTerminal()) {
            // A finished run frees capacity that a waiting job may be able to use.
            signal(scheduler);
        }
    }

    void awaitScheduler(Duration timeout) throws InterruptedException {
        await(scheduler, timeout);
    }

    void awaitMonitor(Duration timeout) throws InterruptedException {
        await(monitor, timeout);
    }

    private static void signal(Semaphore semaphore) {
        if (semaphore.availablePermits() == 0) {
            semaphore.release();
        }
    }

    private static void await(Semaphore semaphore, Duration timeout) throws InterruptedException {
        semaphore.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        semaphore.drainPermits();
    }
}
