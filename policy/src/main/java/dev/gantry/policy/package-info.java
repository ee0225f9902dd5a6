/**
 * Policy decisions by Open Policy Agent: the {@link dev.gantry.policy.PolicyEngine} interface the
 * control plane calls for admission and placement, and its engines. The default Rego lives in
 * {@code policy/src/main/rego} and is compiled to WebAssembly at build time.
 */
package dev.gantry.policy;
