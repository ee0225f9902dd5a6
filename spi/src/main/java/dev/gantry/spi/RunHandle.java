package dev.gantry.spi;

/**
 * A backend's reference to one run, stored by the control plane and handed back on every later
 * call, also after a restart of either side.
 *
 * @param attemptId the attempt the run belongs to
 * @param reference the backend's own reference (a process id, a pod name); opaque to the control
 *     plane, at most 1,000 characters
 * @param formatVersion the version of the reference's format, so a newer backend can read handles
 *     issued by an older one
 * @since 1.0
 */
public record RunHandle(String attemptId, String reference, int formatVersion) {

    public RunHandle {
        if (attemptId == null || reference == null) {
            throw new IllegalArgumentException("attemptId and reference are required");
        }
        if (reference.length() > 1000) {
            throw new IllegalArgumentException("reference is longer than 1000 characters");
        }
    }
}
