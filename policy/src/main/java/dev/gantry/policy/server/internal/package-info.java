/**
 * Internal to the policy module: how the OPA server engine talks to the Data API and reads its
 * responses. Nothing here is a supported API; it may change in any release.
 */
package dev.gantry.policy.server.internal;
