package dev.gantry.api.policy;

/** A candidate policy bundle did not load or failed its checks; what was in force before stays. */
public class CandidateRefusedException extends RuntimeException {

    private final String revision;

    public CandidateRefusedException(String revision, String message, Throwable cause) {
        super(message, cause);
        this.revision = revision;
    }

    /** The refused bundle's revision, or {@code unknown} when it could not be read as a bundle. */
    public String revision() {
        return revision;
    }
}
