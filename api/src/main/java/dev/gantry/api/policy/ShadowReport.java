package dev.gantry.api.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.jobs.DecisionKind;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What a candidate policy in shadow would have changed, as {@code GET /v1/policy/shadow} shows it.
 * Totals count every comparison since the candidate was loaded; {@code changes} lists the most
 * recent changes only, newest first.
 *
 * @param candidateRevision the revision of the candidate bundle
 * @param bundleDigest the SHA-256 of the uploaded bundle bytes, hex encoded
 * @param activeRevision the revision of the policy in force now
 * @param loadedAt when the candidate was loaded
 * @param replay the candidate replayed against the inputs of recent stored decisions
 * @param live the candidate evaluated beside the active policy on new decisions
 * @param changes the most recent decisions that would change, newest first
 */
public record ShadowReport(
        String candidateRevision,
        String bundleDigest,
        String activeRevision,
        Instant loadedAt,
        Replay replay,
        Live live,
        List<Change> changes) {

    public ShadowReport {
        changes = List.copyOf(changes);
    }

    /** Where a comparison came from. */
    public enum Source {
        /** The input of a stored decision, evaluated again by both policies. */
        REPLAY,
        /** A decision made just now for a submission or by the scheduler. */
        LIVE;

        @JsonValue
        String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How far the replay of stored decisions has gone. */
    public enum ReplayState {
        /** Inputs are still being replayed. */
        RUNNING,
        /** Every input planned was replayed. */
        DONE,
        /** The stored decisions could not be read; {@code error} says why. */
        FAILED
    }

    /**
     * The replay of recent stored decisions.
     *
     * @param total how many stored inputs the replay covers: the most recent ones, up to the limit
     * @param replayed how many have been evaluated by both policies so far
     * @param changed how many of those the candidate decides differently, its failures included
     * @param candidateFailures how many the candidate could not decide
     * @param activeFailures how many the active policy could not decide now; they are not compared
     * @param finishedAt when the replay ended; null while it runs
     * @param error why the replay stopped early; null unless {@code FAILED}
     */
    public record Replay(
            ReplayState state,
            int total,
            int replayed,
            int changed,
            int candidateFailures,
            int activeFailures,
            Instant finishedAt,
            String error) {
    }

    /**
     * The candidate on new decisions.
     *
     * @param compared how many decisions the candidate was evaluated on
     * @param changed how many it decides differently, its failures included
     * @param failed how many it could not decide
     * @param skipped how many were not compared because the shadow's queue was full
     */
    public record Live(long compared, long changed, long failed, long skipped) {
    }

    /**
     * One decision the candidate would make differently.
     *
     * @param jobId the job decided about; null for a live admission, made before the job had an id
     * @param tenant the job's tenant
     * @param inputDigest the SHA-256 of the policy input, as the job's stored decisions show it
     * @param at when the comparison was made
     * @param storedRevision for a replayed decision, the revision that made the stored decision; null for
     *     a live one, whose active decision carries its revision
     * @param active the active policy's decision, in the form of {@code POST /v1/policy/evaluate}
     * @param candidate the candidate's decision in the same form; null when it could not decide
     * @param candidateError why the candidate could not decide; null when it decided. Such a candidate
     *     would fail closed in production, so it counts as a change
     */
    public record Change(
            Source source,
            DecisionKind kind,
            String jobId,
            String tenant,
            String inputDigest,
            Instant at,
            String storedRevision,
            JsonNode active,
            JsonNode candidate,
            String candidateError) {
    }
}
