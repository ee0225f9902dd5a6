package dev.gantry.api.jobs;

import java.util.List;

/**
 * Why a job that admission let in cannot start now, as {@code GET /v1/jobs/{id}} shows it under
 * {@code waiting}: what the scheduler considered at its last pass, so no job sits waiting
 * unexplained.
 *
 * @param reason the same in one line, as in the job's {@code waitingReason}
 * @param holds why placement policy holds the job back whatever the backend (the tenant's
 *     running-jobs quota, say); empty when nothing does
 * @param backends each backend that cannot take the job now and why; a backend with room that the
 *     job may use is not listed, as it is only a hold that keeps the job from it
 */
public record Waiting(String reason, List<String> holds, List<Obstacle> backends) {

    public Waiting {
        holds = List.copyOf(holds);
        backends = List.copyOf(backends);
    }

    /**
     * One backend and what keeps the job off it now.
     *
     * @param backendId the configured backend id
     * @param kind the kind of obstacle
     * @param reason one readable sentence
     */
    public record Obstacle(String backendId, Kind kind, String reason) {
    }

    /** What keeps a job off a backend. */
    public enum Kind {
        /** Placement policy rejects the backend for this job: region, labels, GPUs, size, spot. */
        CONSTRAINT,
        /** The backend could run the job but lacks free room (slots, CPU, memory, GPUs) now. */
        CAPACITY,
        /** The backend did not start, or could not report its capacity, so it was not offered. */
        UNAVAILABLE
    }
}
