/**
 * Connects the control plane to policy: builds the documented policy input from a job and the
 * backends, provides the configured {@link dev.gantry.policy.PolicyEngine}, answers dry runs
 * ({@code POST /v1/policy/evaluate}) that show what policy would decide about a job without
 * storing or running it, and evaluates a candidate bundle in shadow beside the active policy
 * ({@code /v1/policy/shadow}) until it is promoted or discarded.
 */
package dev.gantry.api.policy;
