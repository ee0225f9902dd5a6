package dev.gantry.api.scheduling;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs one pass, waits to be woken or for its interval, and repeats until
 * stopped. A pass that throws is logged and followed by a growing pause, capped, so a broken
 * database does not turn the loop into a busy spin; the pause resets after a pass succeeds.
 *
 * <p>Stopping wakes the thread instead of interrupting it: an interrupt that lands during file I/O
 * closes the database's file channel under the transaction being written. The thread is
 * interrupted only when a pass has not finished within the stop timeout.
 */
final class LoopThread {

    private static final Logger LOG = LoggerFactory.getLogger(LoopThread.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    /** Blocks until woken or until the timeout passes. */
    @FunctionalInterface
    interface Waiter {
        void await(Duration timeout) throws InterruptedException;
    }

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private final Thread thread;
    private final Runnable pass;
    private final Waiter waiter;
    private final Runnable waker;
    private final Duration interval;
    private volatile boolean running = true;

    /**
     * @param pass one pass of the loop; long passes should check {@link #stopping()} between items
     * @param waiter blocks until woken or the timeout passes
     * @param waker wakes a thread blocked in {@code waiter}
     */
    LoopThread(String name, Runnable pass, Waiter waiter, Runnable waker, Duration interval) {
        this.pass = pass;
        this.waiter = waiter;
        this.waker = waker;
        this.interval = interval;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Whether the loop has been asked to stop; a pass under way should then return soon. */
    boolean stopping() {
        return !running;
    }

    /** Stops the loop and waits for the pass under way to finish. */
    void stop() {
        running = false;
        waker.run();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
            if (thread.isAlive()) {
                LOG.atWarn().addKeyValue("loop", thread.getName())
                        .addKeyValue("timeoutMillis", STOP_TIMEOUT.toMillis())
                        .log("loop pass did not finish in time; interrupting it");
                thread.interrupt();
                thread.join(STOP_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        Duration pause = interval;
        while (running) {
            try {
                pass.run();
                pause = interval;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                pause = min(pause.multipliedBy(2), MAX_PAUSE);
                LOG.atWarn().addKeyValue("loop", thread.getName()).addKeyValue("pauseMillis", pause.toMillis())
                        .setCause(e).log("loop pass failed");
            }
            try {
                waiter.await(pause);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
