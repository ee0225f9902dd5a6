/**
 * Connects the control plane to policy: builds the documented policy input from a job and the
 * backends, provides the configured {@link dev.gantry.policy.PolicyEngine}, and answers dry runs
 * ({@code POST /v1/policy/evaluate}) that show what policy would decide about a job without
 * storing or running it.
 */
package dev.gantry.api.policy;
