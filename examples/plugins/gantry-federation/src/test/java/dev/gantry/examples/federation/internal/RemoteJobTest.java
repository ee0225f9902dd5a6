package dev.gantry.examples.federation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import java.io.IOException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RemoteJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({"PENDING, STARTING", "SCHEDULED, STARTING", "RETRYING, STARTING", "RUNNING, RUNNING"})
    void liveRemoteStatesAreLiveRuns(String remoteState, RunState expected) throws Exception {
        RemoteJob job = job(remoteState, "");

        RunStatus status = job.toRunStatus();

        assertThat(status.state()).isEqualTo(expected);
        assertThat(status.state().isTerminal()).isFalse();
        assertThat(job.isTerminal()).isFalse();
    }

    @Test
    void runningJobReportsWhenItsAttemptStarted() throws Exception {
        RunStatus status = job("RUNNING", attempt(null, null, null, null)).toRunStatus();

        assertThat(status.startedAt()).contains(Instant.parse("2026-12-03T10:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource({
        "COMPLETED, EXITED, 0, , EXITED",
        "FAILED, EXITED, 3, , EXITED",
        "FAILED, TIMED_OUT, 137, SIGKILL, TIMED_OUT",
        "FAILED, BACKEND_LOST, , , LOST",
        "FAILED, LAUNCH_FAILED, , , LOST",
        "CANCELLED, CANCELLED, 143, SIGTERM, CANCELLED"})
    void endedJobIsTheEndOfItsAttempt(String remoteState, String endReason, Integer exitCode, String signal,
            RunState expected) throws Exception {
        String ended = attempt("2026-12-03T10:00:05Z", exitCode, signal, endReason);

        RunStatus status = job(remoteState, ended).toRunStatus();

        assertThat(status.state()).isEqualTo(expected);
        assertThat(status.exitCode().isPresent() ? status.exitCode().getAsInt() : null).isEqualTo(exitCode);
        assertThat(status.signal().orElse(null)).isEqualTo(signal);
        assertThat(status.startedAt()).contains(Instant.parse("2026-12-03T10:00:00Z"));
        assertThat(status.endedAt()).contains(Instant.parse("2026-12-03T10:00:05Z"));
        assertThat(status.message()).startsWith("remote job job-1 " + remoteState);
    }

    @Test
    void jobCancelledBeforeItsAttemptIsCancelledWithoutStart() throws Exception {
        RunStatus status = job("CANCELLED", "").toRunStatus();

        assertThat(status.state()).isEqualTo(RunState.CANCELLED);
        assertThat(status.startedAt()).isEmpty();
        assertThat(status.endedAt()).contains(Instant.parse("2026-12-03T10:00:09Z"));
    }

    @Test
    void stateThisBackendDoesNotKnowIsAFailureNotAGuess() throws Exception {
        RemoteJob job = job("PAUSED", "");

        BackendException failure = catchThrowableOfType(BackendException.class, job::toRunStatus);

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.INTERNAL);
        assertThat(failure.getMessage()).contains("'PAUSED'");
    }

    @Test
    void labelsTenantAndResourcesAreRead() throws Exception {
        RemoteJob job = job("PENDING", "");

        assertThat(job.tenant()).isEqualTo("tck");
        assertThat(job.label("gantry-federation-attempt")).contains("attempt-1");
        assertThat(job.resources()).isEqualTo(new Resources(0.5, 268435456, 0));
    }

    private static RemoteJob job(String state, String attempts) throws IOException {
        return RemoteJob.of(JSON.readTree("""
                {"id": "job-1", "tenant": "tck", "state": "%s", "labels": {"gantry-federation-attempt": "attempt-1"},
                 "updatedAt": "2026-12-03T10:00:09Z", "waitingReason": null,
                 "spec": {"resources": {"cpu": 0.5, "memory": 268435456, "gpu": 0}},
                 "attempts": [%s]}
                """.formatted(state, attempts)));
    }

    private static String attempt(String endedAt, Integer exitCode, String signal, String endReason) {
        return """
                {"number": 1, "state": "%s", "startedAt": "2026-12-03T10:00:00Z", "endedAt": %s, "exitCode": %s,
                 "signal": %s, "endReason": %s, "message": null}
                """.formatted(endReason == null ? "RUNNING" : "ENDED", jsonText(endedAt), exitCode,
                jsonText(signal), jsonText(endReason));
    }

    private static String jsonText(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
