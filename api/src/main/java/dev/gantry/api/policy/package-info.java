/**
 * Connects the control plane to policy: builds the documented policy input from a job and the
 * backends, and provides the configured {@link dev.gantry.policy.PolicyEngine}.
 */
package dev.gantry.api.policy;
