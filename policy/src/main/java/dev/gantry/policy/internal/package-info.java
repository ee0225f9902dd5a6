/**
 * Internal to the policy module: what every engine shares, namely checking and digesting an input
 * and turning a raw policy result into a decision, so that the embedded and the OPA server engines
 * accept and refuse the same things. Nothing here is a supported API; it may change in any release.
 */
package dev.gantry.policy.internal;
