package dev.gantry.api.scheduling;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A daemon thread that runs one pass, waits to be woken or for its interval, and repeats until
 * stopped. A pass that throws is logged and followed by a growing pause, capped, so a broken
 * database does not turn the loop into a busy spin; the pause resets after a pass succeeds.
 */
final class LoopThread {

    private static final Logger LOG = LoggerFactory.getLogger(LoopThread.class);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(30);

    /** Blocks until woken or until the timeout passes. */
    @FunctionalInterface
    interface Waiter {
        void await(Duration timeout) throws InterruptedException;
    }

    private final Thread thread;
    private final Runnable pass;
    private final Waiter waiter;
    private final Duration interval;
    private volatile boolean running = true;

    LoopThread(String name, Runnable pass, Waiter waiter, Duration interval) {
        this.pass = pass;
        this.waiter = waiter;
        this.interval = interval;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops the loop and waits briefly for the pass under way to finish. */
    void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
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
