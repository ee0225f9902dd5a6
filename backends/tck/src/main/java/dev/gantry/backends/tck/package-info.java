/**
 * The backend test kit: the contract of {@link dev.gantry.spi.Backend} written as abstract JUnit 5
 * tests, so that every backend, shipped or written by a stranger, proves the same behaviour.
 *
 * <p>An author adds this artifact with test scope and writes one class extending
 * {@link dev.gantry.backends.tck.BackendContractTest} that names the backend's type and where its
 * plugin is (its classes and runtime jars), and turns a {@link dev.gantry.backends.tck.Workload}
 * into a command the backend's hosts can run. The kit loads the plugin through the control plane's
 * own plugin loader, so the backend is tested in the class loader it will run in. Every failure
 * names the {@link dev.gantry.backends.tck.ContractRule} it broke.
 *
 * @since 0.1
 */
package dev.gantry.backends.tck;
