package dev.gantry.api.policy;

/**
 * The candidate in shadow cannot be promoted as asked: it is not the revision the caller reviewed,
 * or the active policy is not one Gantry can replace. Nothing changed.
 */
public class PromotionConflictException extends RuntimeException {

    private final String candidateRevision;

    public PromotionConflictException(String candidateRevision, String message) {
        super(message);
        this.candidateRevision = candidateRevision;
    }

    /** The revision of the candidate in shadow. */
    public String candidateRevision() {
        return candidateRevision;
    }
}
