package dev.gantry.spi;

/**
 * Receives status changes that a backend observes on its own, such as a process exit seen by a
 * reaper or a pod phase seen by a watch. Implemented by the control plane.
 *
 * <p>Calls may come from any backend thread, more than once for the same status, and out of order
 * across runs. The implementation returns quickly and never throws back into the backend. The
 * control plane also polls {@link Backend#status(RunHandle)}, so a missed call delays an update
 * but loses nothing.
 *
 * @since 1.0
 */
@FunctionalInterface
public interface RunListener {

    /** A listener that ignores every change, for backends used without a control plane. */
    RunListener NONE = (handle, status) -> { };

    /** Called when a run's status changes. */
    void statusChanged(RunHandle handle, RunStatus status);
}
