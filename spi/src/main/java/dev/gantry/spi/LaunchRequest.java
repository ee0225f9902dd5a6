package dev.gantry.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a backend needs to start one attempt of a job.
 *
 * @param attemptId unique id of this attempt; launch is idempotent on it
 * @param jobId the job the attempt belongs to
 * @param attempt the attempt number, from 1
 * @param command the program and its arguments, executed directly, never through a shell
 * @param env the complete environment the job asked for; the backend adds only what its runtime
 *     needs (such as a default {@code PATH}) and never its own host's variables
 * @param workingDirectory a directory relative to the attempt's own directory, or empty for the
 *     attempt directory itself
 * @param resources what the attempt may use
 * @param timeout how long the attempt may run before the backend stops it and reports
 *     {@link RunState#TIMED_OUT}
 * @param labels the job's labels, for the backend's own bookkeeping (pod labels, instance tags)
 * @param secrets secret values for this attempt only, placed as {@link Secret#target()} says and
 *     written nowhere else; a backend that cannot place one fails the launch as
 *     {@link BackendException.Kind#UNSUPPORTED}
 * @since 1.0
 */
public record LaunchRequest(
        String attemptId,
        String jobId,
        int attempt,
        List<String> command,
        Map<String, String> env,
        String workingDirectory,
        Resources resources,
        Duration timeout,
        Map<String, String> labels,
        List<Secret> secrets) {

    public LaunchRequest {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
        secrets = List.copyOf(secrets);
        if (attemptId == null || attemptId.isBlank()) {
            throw new IllegalArgumentException("attemptId must not be blank");
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must not be empty");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (workingDirectory == null) {
            workingDirectory = "";
        }
    }

    /** Never shows environment values or secrets, which may be sensitive. */
    @Override
    public String toString() {
        return "LaunchRequest[attemptId=" + attemptId + ", jobId=" + jobId + ", attempt=" + attempt
                + ", command=" + command + ", env=" + env.keySet() + ", workingDirectory=" + workingDirectory
                + ", resources=" + resources + ", timeout=" + timeout + ", labels=" + labels
                + ", secrets=" + secrets + "]";
    }
}
