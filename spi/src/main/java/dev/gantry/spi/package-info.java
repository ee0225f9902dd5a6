/**
 * The backend service provider interface: everything a runtime must implement so that Gantry can
 * launch, watch, cancel and reconcile work on it.
 *
 * <p>A plugin ships a {@link dev.gantry.spi.BackendFactory} named in
 * {@code META-INF/services/dev.gantry.spi.BackendFactory}. The control plane creates one
 * {@link dev.gantry.spi.Backend} per configured backend id and calls it from its scheduler and
 * monitor threads. This package depends on the JDK alone and is the only Gantry code a plugin
 * may rely on.
 *
 * @since 1.0
 */
package dev.gantry.spi;
