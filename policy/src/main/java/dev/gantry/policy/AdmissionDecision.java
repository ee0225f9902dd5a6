package dev.gantry.policy;

import java.time.Duration;
import java.util.List;

/**
 * The result of the admission policy for one job.
 *
 * @param allowed whether the job may run
 * @param reasons why it was denied, one readable sentence each; empty when allowed
 * @param revision the policy bundle revision the decision came from
 * @param inputDigest the SHA-256 of the input document, hex encoded, so a decision can be traced to
 *     its input without storing it
 * @param evaluationTime how long the evaluation took
 */
public record AdmissionDecision(
        boolean allowed,
        List<String> reasons,
        String revision,
        String inputDigest,
        Duration evaluationTime) {

    public AdmissionDecision {
        reasons = List.copyOf(reasons);
    }
}
