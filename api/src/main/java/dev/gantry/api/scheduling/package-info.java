/**
 * Moves admitted jobs through their lives: the scheduler places waiting jobs on backends and
 * launches their attempts; the monitor follows active attempts to their end, carries out
 * cancellations and decides retries through {@link dev.gantry.api.jobs.JobLifecycle}.
 */
package dev.gantry.api.scheduling;
