package dev.gantry.api.jobs;

/** No policy decision could be made, so the job was not admitted (fail closed). */
public class PolicyUnavailableException extends RuntimeException {

    public PolicyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
