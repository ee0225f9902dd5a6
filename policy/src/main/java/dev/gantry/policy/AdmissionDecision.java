package dev.gantry.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The result of the admission policy for one job.
 *
 * @param allowed whether the job may run
 * @param reasons why it was denied, one readable sentence each; empty when allowed
 * @param defaults what the policy asks the control plane to fill in on an admitted job
 * @param revision the policy bundle revision the decision came from
 * @param inputDigest the SHA-256 of the input document, hex encoded, so a decision can be traced to
 *     its input without storing it
 * @param evaluationTime how long the evaluation took
 */
public record AdmissionDecision(
        boolean allowed,
        List<String> reasons,
        Defaults defaults,
        String revision,
        String inputDigest,
        Duration evaluationTime) {

    public AdmissionDecision {
        reasons = List.copyOf(reasons);
    }

    /**
     * Values the policy supplies for what a job left unset.
     *
     * @param labels labels to add to the job; a label the job already carries keeps its own value
     */
    public record Defaults(Map<String, String> labels) {

        /** No defaults: the job is stored as submitted. */
        public static final Defaults NONE = new Defaults(Map.of());

        public Defaults {
            labels = Map.copyOf(labels);
        }
    }
}
