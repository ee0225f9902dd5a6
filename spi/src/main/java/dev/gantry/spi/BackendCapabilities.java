package dev.gantry.spi;

/**
 * Optional features of a backend. The control plane reads them before relying on a feature.
 *
 * @param gpus the backend can give GPUs to a run
 * @param pushesStatus the backend reports status changes through {@link RunListener}, so the
 *     control plane may poll less often
 * @param survivesRestart runs keep going when the control plane restarts, and a new backend
 *     instance finds them again through {@link Backend#runs()}
 * @param scales the backend keeps warm capacity on request through
 *     {@link Backend#scale(ScaleRequest)}
 * @param secretFiles the backend can place {@link Secret.Target#FILE} secrets. Every backend
 *     that can keep an {@link Secret.Target#ENV} secret out of durable storage places those; one
 *     that cannot (for example a backend that forwards work to a system that stores the job's
 *     environment) fails such a launch as {@link BackendException.Kind#UNSUPPORTED} and says so
 *     in its documentation
 * @since 1.0
 */
public record BackendCapabilities(
        boolean gpus, boolean pushesStatus, boolean survivesRestart, boolean scales, boolean secretFiles) {
}
