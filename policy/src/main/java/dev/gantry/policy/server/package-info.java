/**
 * The OPA server policy engine: decisions asked of an Open Policy Agent server over its REST Data
 * API, a local sidecar or a remote service, for teams that run OPA with bundles, decision logs and
 * discovery. {@link dev.gantry.policy.server.OpaServerPolicyEngine} is the entry point and
 * {@link dev.gantry.policy.server.OpaServerConfiguration} its settings; both engines evaluate the
 * same policies and must decide alike.
 */
package dev.gantry.policy.server;
