package dev.gantry.policy;

/**
 * No decision could be made: the engine is unreachable, timed out, or the policy's result is
 * undefined or malformed. Callers fail closed: a job without a decision is never admitted.
 */
public class PolicyException extends Exception {

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
