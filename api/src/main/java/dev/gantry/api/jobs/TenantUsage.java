package dev.gantry.api.jobs;

import io.micronaut.core.annotation.Introspected;

/**
 * What one tenant has in the system now, as admission policy sees it for quotas.
 *
 * @param runningJobs jobs in {@link JobState#SCHEDULED} or {@link JobState#RUNNING}
 * @param queuedJobs jobs in {@link JobState#PENDING} or {@link JobState#RETRYING}
 * @param cpu cores requested by the running and queued jobs together
 * @param memoryBytes memory in bytes requested by the running and queued jobs together
 */
@Introspected
public record TenantUsage(long runningJobs, long queuedJobs, double cpu, long memoryBytes) {
}
