package dev.gantry.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Turns policy decisions into stored records and stored records into their REST form. Saving is
 * left to {@link JobLifecycle}, which writes each record in the transaction of the change it
 * explains. Thread-safe; reading blocks on the database.
 */
@Singleton
public class DecisionLog {

    private final DecisionRepository decisions;
    private final ObjectMapper mapper;
    private final Clock clock;

    public DecisionLog(DecisionRepository decisions, ObjectMapper mapper, Clock clock) {
        this.decisions = decisions;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * The record of the admission decision that let job {@code jobId} in.
     *
     * @param input the admission input the decision was made from, as JSON
     */
    public DecisionRecord admission(String jobId, AdmissionDecision decision, String input) {
        return new DecisionRecord(
                null, jobId, null, DecisionKind.ADMISSION, clock.instant(), decision.inputDigest(),
                decision.revision(), decision.allowed(), null, null, null, text(decision.reasons()),
                micros(decision.evaluationTime()), input);
    }

    /**
     * The record of a placement decision for job {@code jobId}.
     *
     * @param attempt the attempt it placed, or null when the job waits
     * @param input the placement input the decision was made from, as JSON
     * @param chosenBackend where the attempt goes, or null when the job waits
     * @param outcome what came of the decision, one readable sentence
     */
    public DecisionRecord placement(
            String jobId, Integer attempt, PlacementDecision decision, String input, String chosenBackend,
            String outcome) {
        return new DecisionRecord(
                null, jobId, attempt, DecisionKind.PLACEMENT, clock.instant(), decision.inputDigest(),
                decision.revision(), null, chosenBackend, choices(decision.eligible()), choices(decision.rejected()),
                text(List.of(outcome)), micros(decision.evaluationTime()), input);
    }

    /** The stored decisions about a job, oldest first; empty for an unknown job. */
    public List<DecisionView> viewsOf(String jobId) {
        return decisions.findByJobIdOldestFirst(jobId).stream().map(this::view).toList();
    }

    /** Why a job waits, as stored beside its one-line reason. */
    public String json(Waiting waiting) {
        try {
            return mapper.writeValueAsString(waiting);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("waiting detail could not be written as JSON", e);
        }
    }

    /** How long an evaluation took, in whole microseconds. */
    public static long micros(Duration evaluationTime) {
        return evaluationTime.toNanos() / 1000;
    }

    private DecisionView view(DecisionRecord record) {
        return new DecisionView(
                record.kind(), record.decidedAt(), record.attempt(), record.revision(), record.inputDigest(),
                record.evaluationMicros(), record.allowed(), record.chosenBackend(), tree(record.eligible()),
                tree(record.rejected()), tree(record.reasons()));
    }

    private String choices(List<PlacementDecision.BackendChoice> choices) {
        ArrayNode array = mapper.createArrayNode();
        choices.forEach(choice -> array.addObject()
                .put("backendId", choice.backendId())
                .put("reason", choice.reason()));
        return array.toString();
    }

    private String text(List<String> value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("policy decision could not be written as JSON", e);
        }
    }

    /** A stored JSON text as a tree, or null for null. */
    JsonNode tree(String json) {
        if (json == null) {
            return null;
        }
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored policy decision is not valid JSON", e);
        }
    }
}
