package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.spi.BackendException;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.Resources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchPlannerTest {

    @TempDir
    Path runs;

    @Test
    void planResolvesCommandOnDefaultPathAndBuildsEnvironment() throws BackendException {
        LaunchPlan plan = new LaunchPlanner(runs).plan(request("a-1", List.of("env", "-0"), Map.of("A", "1"), "w"));

        assertThat(plan.spec().executable().toString()).endsWith("/env");
        assertThat(plan.spec().arguments()).containsExactly("env", "-0");
        assertThat(plan.spec().workingDirectory()).isEqualTo(runs.resolve("a-1/work/w"));
        assertThat(plan.spec().environment())
                .containsEntry("A", "1")
                .containsEntry("HOME", runs.resolve("a-1/work").toString());
        assertThat(plan.spec().stdout()).isEqualTo(runs.resolve("a-1/stdout.log"));
        assertThat(runs.resolve("a-1")).doesNotExist();
    }

    @Test
    void everyProblemOfARequestIsReportedAtOnce() {
        LaunchRequest request = request("a-1", List.of("no-such-tool-anywhere", "x\0y"), Map.of("A=B", "1"), "/abs");

        BackendException failure = failureOf(request);

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("argument 1", "'A=B'", "'/abs'");
    }

    @Test
    void commandMissingFromJobPathIsNamed() {
        LaunchRequest request = request("a-1", List.of("env"), Map.of("PATH", "/nonexistent"), "");

        BackendException failure = failureOf(request);

        assertThat(failure.getMessage()).contains("command 'env' was not found");
    }

    private BackendException failureOf(LaunchRequest request) {
        return catchThrowableOfType(BackendException.class, () -> new LaunchPlanner(runs).plan(request));
    }

    private static LaunchRequest request(String attemptId, List<String> command, Map<String, String> env, String dir) {
        return new LaunchRequest(
                attemptId, "job", 1, command, env, dir, Resources.NONE, Duration.ofMinutes(1), Map.of());
    }
}
