package dev.gantry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the REST API shows it.
 *
 * @param spec the descriptor as admitted, every default written out
 * @param admission the admission decision: allowed, reasons, policy revision, input digest
 * @param waitingReason why a waiting job has not started, when it has not
 * @param waiting the same backend by backend (see {@link Waiting}), once the scheduler has
 *     considered the job; null otherwise
 * @param nextRunAt when a retrying job starts its next attempt
 * @param attempts every attempt so far, oldest first; empty in listings
 * @param decisions every stored policy decision about the job, oldest first: its admission, then
 *     each placement that placed an attempt or changed why it waits; empty in listings
 */
public record JobView(
        String id,
        String name,
        String tenant,
        JobState state,
        Map<String, String> labels,
        int priority,
        String traceId,
        boolean cancelRequested,
        String waitingReason,
        JsonNode waiting,
        Instant nextRunAt,
        Instant createdAt,
        Instant updatedAt,
        int attemptCount,
        int maxAttempts,
        JsonNode spec,
        JsonNode admission,
        List<AttemptView> attempts,
        List<DecisionView> decisions) {

    /**
     * One attempt as the REST API shows it.
     *
     * @param signal the signal that ended the work, such as {@code SIGKILL}, when one did
     */
    public record AttemptView(
            int number,
            String id,
            String backend,
            AttemptState state,
            Instant createdAt,
            Instant startedAt,
            Instant endedAt,
            Integer exitCode,
            String signal,
            EndReason endReason,
            String message) {

        static AttemptView of(AttemptRecord attempt) {
            return new AttemptView(
                    attempt.number(), attempt.id(), attempt.backendId(), attempt.state(), attempt.createdAt(),
                    attempt.startedAt(), attempt.endedAt(), attempt.exitCode(), attempt.exitSignal(),
                    attempt.endReason(), attempt.message());
        }
    }
}
