package dev.gantry.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * One stored policy decision about a job. Decisions of a job are read back in {@code id} order.
 *
 * @param id assigned by the database on insert; null before
 * @param attempt the attempt a placement placed, or null for admission and for a decision to wait
 * @param inputDigest the SHA-256 of the policy input, hex encoded
 * @param revision the policy bundle revision that decided
 * @param allowed whether admission allowed the job; null for placement
 * @param chosenBackend the backend a placement placed the attempt on; null otherwise
 * @param eligible the eligible backends of a placement as a JSON array of {@code {backendId, reason}}
 * @param rejected the rejected backends of a placement, in the same form
 * @param reasons a JSON array of readable sentences: admission's reasons, or placement's outcome
 * @param input the policy input document the decision was made from, as JSON; null for decisions
 *     stored before inputs were kept
 */
@MappedEntity("policy_decisions")
public record DecisionRecord(
        @Id @GeneratedValue @Nullable Long id,
        String jobId,
        @Nullable Integer attempt,
        DecisionKind kind,
        Instant decidedAt,
        String inputDigest,
        String revision,
        @Nullable Boolean allowed,
        @Nullable String chosenBackend,
        @Nullable String eligible,
        @Nullable String rejected,
        String reasons,
        long evaluationMicros,
        @Nullable String input) {
}
