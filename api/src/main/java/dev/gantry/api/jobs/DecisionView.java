package dev.gantry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One stored policy decision as the REST API shows it on a job.
 *
 * @param attempt the attempt a placement placed; null for admission and for a decision to wait
 * @param allowed whether admission allowed the job; null for placement
 * @param chosenBackend where a placement put the attempt; null otherwise
 * @param eligible a placement's eligible backends, {@code [{backendId, reason}]} best first; null for admission
 * @param rejected a placement's rejected backends, in the same form; null for admission
 * @param reasons admission's reasons, or the placement's outcome as a sentence
 */
public record DecisionView(
        DecisionKind kind,
        Instant decidedAt,
        Integer attempt,
        String revision,
        String inputDigest,
        long evaluationMicros,
        Boolean allowed,
        String chosenBackend,
        JsonNode eligible,
        JsonNode rejected,
        JsonNode reasons) {
}
