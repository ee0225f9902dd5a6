package dev.gantry.backends.local.internal;

import dev.gantry.spi.LaunchRequest;

/**
 * A launch request checked and worked out down to the process to spawn, before anything exists on
 * disk.
 *
 * @param request the request as the control plane sent it
 * @param files where the attempt's directory and files go
 * @param spec the process to spawn
 */
public record LaunchPlan(LaunchRequest request, AttemptFiles files, SpawnSpec spec) {
}
