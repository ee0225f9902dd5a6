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
 * @param secretFiles the backend can place {@link Secret.Target#FILE} secrets; every backend
 *     places {@link Secret.Target#ENV} secrets
 * @since 1.0
 */
public record BackendCapabilities(
        boolean gpus, boolean pushesStatus, boolean survivesRestart, boolean scales, boolean secretFiles) {
}
