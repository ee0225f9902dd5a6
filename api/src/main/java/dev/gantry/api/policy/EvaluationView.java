package dev.gantry.api.policy;

import dev.gantry.api.jobs.DecisionLog;
import dev.gantry.api.jobs.Waiting;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PlacementDecision.BackendChoice;
import java.util.List;
import java.util.Map;

/**
 * What policy would decide about a job descriptor now, as {@code POST /v1/policy/evaluate} shows
 * it. Nothing behind it was stored or run.
 *
 * @param admission the admission decision
 * @param placement the placement decision; null when admission denies, as placement is then not asked
 * @param wouldRunOn the first eligible backend with room now; null when the job would not start now
 * @param waitingReason why an admitted, placeable job would wait, in one line; null otherwise
 * @param waiting the same in detail, in the form a waiting job shows it; null otherwise
 * @param outcome what a submission of the descriptor would lead to now
 */
public record EvaluationView(
        Admission admission,
        Placement placement,
        String wouldRunOn,
        String waitingReason,
        Waiting waiting,
        Outcome outcome) {

    /** What a submission of the evaluated descriptor would lead to now. */
    public enum Outcome {
        /** Admitted and started at once on {@code wouldRunOn}. */
        WOULD_RUN,
        /** Admitted, and waiting for the reason in {@code waiting}. */
        WOULD_WAIT,
        /** Refused by admission policy (403), for the admission's reasons. */
        DENIED,
        /** Refused because placement rejects every backend (422), for the rejected backends' reasons. */
        UNPLACEABLE
    }

    /**
     * An admission decision.
     *
     * @param reasons why the job is denied, one sentence each; empty when allowed
     * @param defaultLabels labels the policy adds to the job where it has none of that name
     * @param inputDigest the SHA-256 of the policy input, hex encoded
     */
    public record Admission(
            boolean allowed,
            List<String> reasons,
            Map<String, String> defaultLabels,
            String revision,
            String inputDigest,
            long evaluationMicros) {

        static Admission of(AdmissionDecision decision) {
            return new Admission(
                    decision.allowed(), decision.reasons(), decision.defaults().labels(), decision.revision(),
                    decision.inputDigest(), DecisionLog.micros(decision.evaluationTime()));
        }
    }

    /**
     * A placement decision.
     *
     * @param eligible the backends the job may run on, best first, with the policy's reason
     * @param rejected the backends it may not run on, with the policy's reason
     * @param waitReasons why the policy holds the job back whatever the backend; empty when nothing does
     * @param inputDigest the SHA-256 of the policy input, hex encoded
     */
    public record Placement(
            List<BackendChoice> eligible,
            List<BackendChoice> rejected,
            List<String> waitReasons,
            String revision,
            String inputDigest,
            long evaluationMicros) {

        static Placement of(PlacementDecision decision) {
            return new Placement(
                    decision.eligible(), decision.rejected(), decision.waitReasons(), decision.revision(),
                    decision.inputDigest(),
                    DecisionLog.micros(decision.evaluationTime()));
        }
    }
}
