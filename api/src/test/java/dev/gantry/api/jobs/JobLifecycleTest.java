package dev.gantry.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void successfulExitCompletes() {
        assertThat(JobLifecycle.nextState(job(1, 1), exit(EndReason.EXITED, 0), 0)).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void failedExitRetriesWhileAttemptsRemain() {
        assertThat(JobLifecycle.nextState(job(1, 3), exit(EndReason.EXITED, 3), 0)).isEqualTo(JobState.RETRYING);
        assertThat(JobLifecycle.nextState(job(3, 3), exit(EndReason.EXITED, 3), 0)).isEqualTo(JobState.FAILED);
    }

    @Test
    void lostAttemptDoesNotUseUpTheJobsRetries() {
        assertThat(JobLifecycle.nextState(job(1, 1), exit(EndReason.BACKEND_LOST, null), 1))
                .isEqualTo(JobState.RETRYING);
        assertThat(JobLifecycle.nextState(job(2, 1), exit(EndReason.EXITED, 3), 1)).isEqualTo(JobState.FAILED);
    }

    @Test
    void backendThatKeepsLosingWorkEndsTheJob() {
        int lost = JobLifecycle.MAX_LOST_ATTEMPTS + 1;

        assertThat(JobLifecycle.nextState(job(lost, 1), exit(EndReason.BACKEND_LOST, null), lost))
                .isEqualTo(JobState.FAILED);
    }

    @Test
    void cancellationIsNeverRetried() {
        assertThat(JobLifecycle.nextState(job(1, 5), exit(EndReason.CANCELLED, 143), 0)).isEqualTo(JobState.CANCELLED);
    }

    private static JobRecord job(int attemptCount, int maxAttempts) {
        return new JobRecord("job-1", "acme", "test", JobState.RUNNING, 0, "{}", 1, 0, null, "digest", "trace", "{}",
                null, null, maxAttempts, attemptCount, false, null, NOW, NOW);
    }

    private static AttemptEnd exit(EndReason reason, Integer exitCode) {
        boolean retryable = reason != EndReason.CANCELLED;
        return new AttemptEnd(reason, exitCode, null, NOW, NOW, "", retryable);
    }
}
