/**
 * Policy decisions by Open Policy Agent: the {@link dev.gantry.policy.PolicyEngine} interface the
 * control plane calls for admission and placement, and its engines: the embedded WebAssembly engine
 * in {@code dev.gantry.policy.embedded} and the OPA server engine in {@code
 * dev.gantry.policy.server}, which decide alike on the same policies. The default Rego lives in
 * {@code policy/src/main/rego} and is compiled to WebAssembly at build time.
 */
package dev.gantry.policy;
