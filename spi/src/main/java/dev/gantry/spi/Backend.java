package dev.gantry.spi;

import java.time.Duration;
import java.util.List;

/**
 * One configured runtime that can run attempts of jobs: a pool of local processes, a Kubernetes
 * cluster, a fleet of VMs.
 *
 * <p>The control plane creates a backend through its {@link BackendFactory}, calls it from several
 * threads at once (every method must be thread-safe), and closes it on shutdown. Methods may block
 * on I/O but should return within seconds; long waits belong in the run itself, reported through
 * {@link #status(RunHandle)} or the {@link RunListener}.
 *
 * <p>Failures are reported only as {@link BackendException}, whose kind tells the control plane
 * whether trying again may help.
 *
 * @since 1.0
 */
public interface Backend extends AutoCloseable {

    /**
     * Describes this backend: its id, type, region, labels and capabilities. Called often; must be
     * cheap and must not fail.
     */
    BackendDescriptor describe();

    /**
     * Reports the capacity free now and in total. The scheduler calls it before each placement, so
     * it must be cheap; it may be approximate but must never report free capacity that a launch
     * would then refuse for lack of room, other than through a race with a concurrent launch.
     */
    Capacity capacity();

    /**
     * Starts one attempt and returns as soon as the backend has taken responsibility for it; it
     * does not wait for the work to finish.
     *
     * <p>Idempotent on {@link LaunchRequest#attemptId()}: launching an attempt id the backend
     * already holds returns the handle issued the first time and starts nothing new. When launch
     * fails it leaves nothing behind (no process, pod, VM, file the caller must clean).
     *
     * @throws BackendException with kind {@link BackendException.Kind#CAPACITY} when there is no
     *     room now (retryable), {@link BackendException.Kind#BAD_REQUEST} when the request can
     *     never run here (for example an executable that does not exist), or another kind
     */
    RunHandle launch(LaunchRequest request) throws BackendException;

    /**
     * Reports the current status of a run. A run this backend does not know, for example one whose
     * records were removed, has state {@link RunState#UNKNOWN}; this method does not throw for it.
     */
    RunStatus status(RunHandle handle) throws BackendException;

    /**
     * Stops a run and everything it started: asks it to stop, waits up to {@code grace}, then
     * forces it. May return before the run is gone; its status becomes {@link RunState#CANCELLED}
     * once it is. Cancelling a finished run, or cancelling twice, changes nothing.
     *
     * @throws BackendException of kind {@link BackendException.Kind#NOT_FOUND} for an unknown run
     */
    void cancel(RunHandle handle, Duration grace) throws BackendException;

    /**
     * Reads at most {@code maxBytes} of one output stream of a run, from byte {@code offset}.
     * Output is kept after the run ends, so a finished run's logs remain readable.
     *
     * @throws BackendException of kind {@link BackendException.Kind#NOT_FOUND} for an unknown run
     */
    LogChunk logs(RunHandle handle, LogStream stream, long offset, int maxBytes) throws BackendException;

    /**
     * Lists the runs this backend holds that have not reached a terminal state, including runs it
     * found again after a restart. The control plane compares this with its own records to
     * reconcile.
     */
    List<RunHandle> runs() throws BackendException;

    /**
     * Keeps warm capacity ready for the autoscaler: instances booted, nodes reserved. Only called
     * on backends whose {@link BackendCapabilities#scales()} is true, from one thread at a time,
     * with the latest wish replacing earlier ones. Never stops running work to shrink.
     *
     * @throws BackendException of kind {@link BackendException.Kind#UNSUPPORTED} unless the
     *     backend declares the capability
     */
    default void scale(ScaleRequest request) throws BackendException {
        throw new BackendException(BackendException.Kind.UNSUPPORTED,
                "backend " + describe().id() + " does not support scaling");
    }

    /**
     * Releases what the backend holds in this process (threads, connections). Runs that are still
     * active are not stopped, so that a restarted control plane can find them again. May be called
     * more than once.
     */
    @Override
    void close();
}
