package dev.gantry.backends.local.internal;

import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What the backend keeps on disk about a launched attempt, so that a new backend instance can find
 * the process again, recognise it despite pid reuse, and keep enforcing its timeout and any stop
 * already under way. Holds no command line and no environment, which may carry secrets.
 *
 * @param attemptId the attempt
 * @param jobId the job it belongs to
 * @param attempt the attempt number
 * @param pid the process id, which is also its process group and session id
 * @param startTicks the process start time from {@code /proc/<pid>/stat}
 * @param startedAt when it was launched
 * @param timeout how long it may run
 * @param resources what it holds of the backend's capacity
 * @param stop the stop under way, if any
 */
public record AttemptRecord(
        String attemptId,
        String jobId,
        int attempt,
        int pid,
        long startTicks,
        Instant startedAt,
        Duration timeout,
        Resources resources,
        Optional<StopRequest> stop) {

    /** The format of {@link RunHandle#reference()} this record issues. */
    public static final int HANDLE_FORMAT = 1;

    private static final int FILE_FORMAT = 1;

    /** When the attempt times out. */
    public Instant deadline() {
        return startedAt.plus(timeout);
    }

    /** The handle issued for this attempt: its reference is {@code pid:<pid>:<start ticks>}. */
    public RunHandle handle() {
        return new RunHandle(attemptId, "pid:" + pid + ":" + startTicks, HANDLE_FORMAT);
    }

    /** This record with {@code request} as the stop under way. */
    public AttemptRecord stopping(StopRequest request) {
        return new AttemptRecord(
                attemptId, jobId, attempt, pid, startTicks, startedAt, timeout, resources, Optional.of(request));
    }

    /** This record as properties, for the attempt's {@code run.properties}. */
    public Properties toProperties() {
        Properties properties = new Properties();
        properties.setProperty("format", Integer.toString(FILE_FORMAT));
        properties.setProperty("attempt-id", attemptId);
        properties.setProperty("job-id", jobId);
        properties.setProperty("attempt", Integer.toString(attempt));
        properties.setProperty("pid", Integer.toString(pid));
        properties.setProperty("start-ticks", Long.toString(startTicks));
        properties.setProperty("started-at", startedAt.toString());
        properties.setProperty("timeout", timeout.toString());
        properties.setProperty("deadline", deadline().toString());
        properties.setProperty("cpu", Double.toString(resources.cpu()));
        properties.setProperty("memory-bytes", Long.toString(resources.memoryBytes()));
        properties.setProperty("gpu", Integer.toString(resources.gpu()));
        stop.ifPresent(request -> {
            properties.setProperty("stop-reason", request.reason().name());
            properties.setProperty("stop-requested-at", request.requestedAt().toString());
            properties.setProperty("kill-at", request.killAt().toString());
        });
        return properties;
    }

    /** Reads a record written by {@link #toProperties()}. */
    public static AttemptRecord fromProperties(Properties properties) {
        PropertyReader reader = new PropertyReader(properties);
        return new AttemptRecord(
                reader.text("attempt-id"),
                reader.text("job-id"),
                reader.integer("attempt"),
                reader.integer("pid"),
                Long.parseLong(reader.text("start-ticks")),
                reader.instant("started-at"),
                Duration.parse(reader.text("timeout")),
                new Resources(
                        Double.parseDouble(reader.text("cpu")),
                        Long.parseLong(reader.text("memory-bytes")),
                        reader.integer("gpu")),
                stopFrom(reader));
    }

    private static Optional<StopRequest> stopFrom(PropertyReader reader) {
        return reader.optionalText("stop-reason").map(reason -> new StopRequest(
                RunState.valueOf(reason), reader.instant("stop-requested-at"), reader.instant("kill-at")));
    }
}
