package dev.gantry.api.policy;

import java.time.Instant;

/**
 * The answer to {@code POST /v1/policy/shadow/promote}.
 *
 * @param revision the revision now in force: the promoted candidate's
 * @param previousRevision the revision it replaced
 * @param promotedAt when it was swapped in
 */
public record PromotionView(String revision, String previousRevision, Instant promotedAt) {
}
