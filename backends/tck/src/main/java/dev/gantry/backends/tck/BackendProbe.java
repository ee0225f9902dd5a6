package dev.gantry.backends.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Observes the runs of one backend the way a control plane does: polling status with a bounded
 * timeout and reading output page by page. Every failure names the {@link ContractRule} it
 * checks. Backend-specific tests may use it too.
 *
 * @since 0.1
 */
public final class BackendProbe {

    /** How long the probe waits between two polls. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private static final int READ_PAGE = 64 * 1024;

    private final Backend backend;
    private final Duration timeout;

    /**
     * Creates a probe of {@code backend} that waits at most {@code timeout} for any one condition.
     */
    public BackendProbe(Backend backend, Duration timeout) {
        this.backend = backend;
        this.timeout = timeout;
    }

    /** The status of {@code handle} now; a failing call fails the test under {@code rule}. */
    public RunStatus status(RunHandle handle, ContractRule rule) {
        return call(() -> backend.status(handle), "status", handle, rule);
    }

    /** Waits until {@code handle} reaches a terminal state and returns that status. */
    public RunStatus awaitTerminal(RunHandle handle, ContractRule rule) {
        return awaitStatus(handle, status -> status.state().isTerminal(), "terminal", rule);
    }

    /**
     * Polls the status of {@code handle} until it satisfies {@code condition}, failing under
     * {@code rule} with the last status seen when the timeout passes first.
     */
    public RunStatus awaitStatus(
            RunHandle handle, Predicate<RunStatus> condition, String expectation, ContractRule rule) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RunStatus status = status(handle, rule);
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(String.format(
                        "%s: run %s did not become %s within %s; last status %s",
                        rule, handle.attemptId(), expectation, timeout, status));
            }
            pause();
            status = status(handle, rule);
        }
        return status;
    }

    /**
     * Reads one stream of {@code handle} from the start until the backend reports it complete,
     * {@code pageSize} bytes at a time, checking every page against
     * {@link ContractRule#LOG_PAGE_IS_BOUNDED}.
     */
    public String readAll(RunHandle handle, LogStream stream, int pageSize, ContractRule rule) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        long offset = 0;
        while (true) {
            LogChunk chunk = page(handle, stream, offset, pageSize, rule);
            text.writeBytes(chunk.data());
            offset = chunk.nextOffset();
            if (chunk.complete()) {
                return text.toString(StandardCharsets.UTF_8);
            }
            if (chunk.data().length == 0) {
                failAfter(deadline, () -> String.format("%s: the %s of run %s was not complete within %s",
                        rule, stream, handle.attemptId(), timeout));
                pause();
            }
        }
    }

    /** Reads what one stream of {@code handle} holds now, without waiting for more. */
    public String readAvailable(RunHandle handle, LogStream stream, ContractRule rule) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        long offset = 0;
        while (true) {
            LogChunk chunk = page(handle, stream, offset, READ_PAGE, rule);
            if (chunk.data().length == 0) {
                return text.toString(StandardCharsets.UTF_8);
            }
            text.writeBytes(chunk.data());
            offset = chunk.nextOffset();
        }
    }

    /** Waits until one stream of {@code handle} contains {@code expected}. */
    public void awaitOutput(RunHandle handle, LogStream stream, String expected, ContractRule rule) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!readAvailable(handle, stream, rule).contains(expected)) {
            failAfter(deadline, () -> String.format("%s: the %s of run %s did not show '%s' within %s",
                    rule, stream, handle.attemptId(), expected, timeout));
            pause();
        }
    }

    /**
     * Watches one stream of {@code handle} for {@code period} and fails under {@code rule} as soon
     * as it grows: something the run started is still alive and writing.
     */
    public void assertOutputStops(RunHandle handle, LogStream stream, Duration period, ContractRule rule) {
        assertOutputsStop(List.of(handle), stream, period, rule);
    }

    /**
     * Watches one stream of each of {@code handles} for the same {@code period} and fails under
     * {@code rule} as soon as one grows: something that run started is still alive and writing.
     */
    public void assertOutputsStop(List<RunHandle> handles, LogStream stream, Duration period, ContractRule rule) {
        List<Integer> before = handles.stream().map(handle -> readAvailable(handle, stream, rule).length()).toList();
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            pause();
            for (int i = 0; i < handles.size(); i++) {
                RunHandle handle = handles.get(i);
                int now = readAvailable(handle, stream, rule).length();
                assertThat(now)
                        .as("%s: the %s of run %s still grows after it ended, so something it started lives on",
                                rule, stream, handle.attemptId())
                        .isEqualTo(before.get(i));
            }
        }
    }

    /**
     * Waits until one stream of {@code handle} grows past what it holds now: something the run
     * started is alive and writing.
     */
    public void awaitOutputGrowth(RunHandle handle, LogStream stream, ContractRule rule) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int before = readAvailable(handle, stream, rule).length();
        while (readAvailable(handle, stream, rule).length() <= before) {
            failAfter(deadline, () -> String.format("%s: the %s of run %s did not grow within %s",
                    rule, stream, handle.attemptId(), timeout));
            pause();
        }
    }

    /** Watches {@code handle} for {@code period} and fails under {@code rule} as soon as it ends. */
    public void assertStaysLive(RunHandle handle, Duration period, ContractRule rule) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < end) {
            RunStatus status = status(handle, rule);
            assertThat(status.state().isTerminal())
                    .as("%s: run %s ended: %s", rule, handle.attemptId(), status)
                    .isFalse();
            pause();
        }
    }

    /** Sleeps for one {@link #POLL_INTERVAL}, keeping the thread's interrupt. */
    public static void pause() {
        try {
            Thread.sleep(POLL_INTERVAL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }

    private LogChunk page(RunHandle handle, LogStream stream, long offset, int pageSize, ContractRule rule) {
        LogChunk chunk = call(() -> backend.logs(handle, stream, offset, pageSize), "logs", handle, rule);
        assertThat(chunk.offset())
                .as("%s: page of %s asked at offset %d", ContractRule.LOG_PAGE_IS_BOUNDED, stream, offset)
                .isEqualTo(offset);
        assertThat(chunk.data().length)
                .as("%s: page of %s asked with maxBytes %d", ContractRule.LOG_PAGE_IS_BOUNDED, stream, pageSize)
                .isLessThanOrEqualTo(pageSize);
        return chunk;
    }

    private static void failAfter(long deadline, Supplier<String> message) {
        if (System.nanoTime() > deadline) {
            throw new AssertionError(message.get());
        }
    }

    private static <T> T call(BackendCall<T> call, String name, RunHandle handle, ContractRule rule) {
        try {
            return call.run();
        } catch (BackendException e) {
            throw new AssertionError(String.format(
                    "%s: %s of run %s failed: %s %s", rule, name, handle.attemptId(), e.kind(), e.getMessage()), e);
        }
    }

    @FunctionalInterface
    private interface BackendCall<T> {
        T run() throws BackendException;
    }
}
