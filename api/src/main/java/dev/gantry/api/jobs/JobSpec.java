package dev.gantry.api.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A work descriptor after validation, with every default filled in. This is what is stored and
 * what the scheduler launches; {@link JobSpecJson} converts it to and from the REST format.
 *
 * @param name a human-readable name
 * @param tenant who the job belongs to and who pays; empty when the client named none (admission
 *     policy then denies it)
 * @param labels free-form labels for filtering and policy
 * @param command the program and its arguments, executed without a shell
 * @param env the job's environment
 * @param workingDir a directory relative to the attempt's own directory, empty for that directory
 * @param resources what each attempt may use
 * @param timeout how long one attempt may run
 * @param retry how many attempts the job gets and how long to wait between them
 * @param placement the client's constraints on where the job runs
 * @param priority higher runs first among waiting jobs
 */
public record JobSpec(
        String name,
        String tenant,
        Map<String, String> labels,
        List<String> command,
        Map<String, String> env,
        String workingDir,
        ResourceRequest resources,
        Duration timeout,
        RetrySpec retry,
        PlacementHints placement,
        int priority) {

    public JobSpec {
        labels = Map.copyOf(labels);
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    /**
     * What one attempt may use.
     *
     * @param cpu cores, fractions allowed
     * @param memoryBytes memory in bytes
     * @param gpu whole GPUs
     */
    public record ResourceRequest(double cpu, long memoryBytes, int gpu) {
    }

    /**
     * How often a job is tried and how long it waits in between: the n-th retry waits
     * {@code initialBackoff * multiplier^(n-1)}, never more than {@code maxBackoff}.
     *
     * @param maxAttempts attempts in all, at least 1
     * @param initialBackoff the wait before the second attempt
     * @param maxBackoff the longest wait
     * @param multiplier how much each wait grows, at least 1
     */
    public record RetrySpec(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier) {

        /** The wait before attempt number {@code nextAttempt} (2 for the first retry). */
        public Duration backoffBefore(int nextAttempt) {
            double factor = Math.pow(multiplier, Math.max(0, nextAttempt - 2));
            double millis = initialBackoff.toMillis() * factor;
            if (millis >= maxBackoff.toMillis()) {
                return maxBackoff;
            }
            return Duration.ofMillis((long) millis);
        }
    }

    /**
     * The client's constraints on placement, handed to the placement policy.
     *
     * @param backends backend ids the job may run on; empty for any
     * @param region the region the job must run in; empty for any
     * @param labels labels a backend must carry
     * @param interruptible whether the job accepts being stopped and retried elsewhere, which makes
     *     interruptible (spot) capacity eligible for it
     */
    public record PlacementHints(
            List<String> backends, String region, Map<String, String> labels, boolean interruptible) {

        public PlacementHints {
            backends = List.copyOf(backends);
            labels = Map.copyOf(labels);
        }
    }
}
