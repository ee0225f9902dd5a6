package dev.gantry.examples.federation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobDescriptorsTest {

    private static final LaunchRequest REQUEST = new LaunchRequest(
            "attempt-1", "job-1", 1, List.of("/bin/echo", "hi"),
            Map.of("B", "2", "A", "1", "TRACEPARENT", "00-abc-def-01", "GANTRY_JOB_ID", "job-1", "GANTRY_ATTEMPT", "1"),
            "out", new Resources(0.5, 256L << 20, 0), Duration.ofMinutes(5), Map.of("team", "batch"), List.of());

    @Test
    void descriptorCarriesTheAttemptAndItsOrigin() {
        ObjectNode job = JobDescriptors.of(REQUEST, "cloud", "on-prem");

        assertThat(job.path("tenant").asText()).isEqualTo("on-prem");
        assertThat(job.path("command")).hasSize(2);
        assertThat(job.path("workingDir").asText()).isEqualTo("out");
        assertThat(job.path("resources").path("memory").asLong()).isEqualTo(256L << 20);
        assertThat(job.path("timeout").asText()).isEqualTo("PT5M");
        assertThat(job.path("retry").path("maxAttempts").asInt()).isEqualTo(1);
        assertThat(job.path("labels").path("team").asText()).isEqualTo("batch");
        assertThat(job.path("labels").path(JobDescriptors.SOURCE_LABEL).asText()).isEqualTo("cloud");
        assertThat(job.path("labels").path(JobDescriptors.ATTEMPT_LABEL).asText()).isEqualTo("attempt-1");
    }

    @Test
    void variablesGantrySetsForEveryAttemptAreNotForwarded() {
        ObjectNode job = JobDescriptors.of(REQUEST, "cloud", "on-prem");

        assertThat(job.path("env").properties()).extracting(Map.Entry::getKey).containsExactly("A", "B");
    }

    @Test
    void sameRequestGivesTheSameDescriptorText() {
        String first = JobDescriptors.of(REQUEST, "cloud", "on-prem").toString();

        String second = JobDescriptors.of(REQUEST, "cloud", "on-prem").toString();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void zeroResourcesAreLeftToTheRemotesDefaults() {
        LaunchRequest request = new LaunchRequest("attempt-2", "job-2", 1, List.of("true"), Map.of(), "",
                Resources.NONE, Duration.ofMinutes(1), Map.of(), List.of());

        ObjectNode job = JobDescriptors.of(request, "cloud", "on-prem");

        assertThat(job.path("resources").has("cpu")).isFalse();
        assertThat(job.path("resources").has("memory")).isFalse();
        assertThat(job.has("workingDir")).isFalse();
    }
}
