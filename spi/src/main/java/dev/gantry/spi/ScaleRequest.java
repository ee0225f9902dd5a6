package dev.gantry.spi;

/**
 * The warm capacity the autoscaler wants a backend to keep ready, beyond what its runs hold.
 *
 * @param warmSlots how many more runs the backend should be able to start without delay
 * @param reason why, for the backend's log
 * @since 1.0
 */
public record ScaleRequest(int warmSlots, String reason) {

    public ScaleRequest {
        if (warmSlots < 0) {
            throw new IllegalArgumentException("warmSlots must not be negative");
        }
        if (reason == null) {
            reason = "";
        }
    }
}
