package dev.gantry.policy;

import java.time.Duration;
import java.util.List;

/**
 * The result of the placement policy for one job.
 *
 * @param eligible the backends the job may run on, best first, each with why it was chosen
 * @param rejected the backends the job may not run on, each with why not
 * @param waitReasons why the job must wait now whatever backend it would go to (a tenant's running-jobs
 *     quota, say), one readable sentence each; empty when nothing holds it back
 * @param revision the policy bundle revision the decision came from
 * @param inputDigest the SHA-256 of the input document, hex encoded
 * @param evaluationTime how long the evaluation took
 */
public record PlacementDecision(
        List<BackendChoice> eligible,
        List<BackendChoice> rejected,
        List<String> waitReasons,
        String revision,
        String inputDigest,
        Duration evaluationTime) {

    public PlacementDecision {
        eligible = List.copyOf(eligible);
        rejected = List.copyOf(rejected);
        waitReasons = List.copyOf(waitReasons);
    }

    /**
     * One backend and the policy's reason for ranking or rejecting it.
     *
     * @param backendId the configured backend id
     * @param reason one readable sentence
     */
    public record BackendChoice(String backendId, String reason) {
    }
}
