/**
 * The embedded policy engine: the Rego policies compiled to WebAssembly by {@code opa build -t
 * wasm} and evaluated in process through the OPA Java Wasm SDK, so Gantry needs nothing else
 * installed to make decisions. {@link dev.gantry.policy.embedded.WasmPolicyEngine} is the entry
 * point; it reads the bundle compiled at build time from the class path, or one an operator built.
 */
package dev.gantry.policy.embedded;
