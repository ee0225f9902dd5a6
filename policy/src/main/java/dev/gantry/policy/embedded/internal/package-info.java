/**
 * Internal to the policy module: how the embedded engine reads an OPA bundle and lends WebAssembly
 * instances to threads. Nothing here is a supported API; it may change in any release.
 */
package dev.gantry.policy.embedded.internal;
