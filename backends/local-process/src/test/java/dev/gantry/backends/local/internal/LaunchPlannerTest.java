package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.spi.BackendException;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.Resources;
import dev.gantry.spi.Secret;
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

    @Test
    void envSecretWinsOverJobVariableAndFileSecretsGetTheirDirectory() throws BackendException {
        List<Secret> secrets = List.of(
                new Secret("TOKEN", Secret.Target.ENV, "secret-token"),
                new Secret("key.pem", Secret.Target.FILE, "secret-key"));
        LaunchRequest request = request("a-1", List.of("env"), Map.of("TOKEN", "job-token"), "", secrets);

        LaunchPlan plan = new LaunchPlanner(runs).plan(request);

        assertThat(plan.spec().environment())
                .containsEntry("TOKEN", "secret-token")
                .containsEntry("GANTRY_SECRETS_DIR", runs.resolve("a-1/secrets").toString())
                .doesNotContainKey("key.pem")
                .doesNotContainValue("secret-key");
    }

    @Test
    void withoutFileSecretsThereIsNoSecretsDirectoryVariable() throws BackendException {
        List<Secret> secrets = List.of(new Secret("TOKEN", Secret.Target.ENV, "secret-token"));

        LaunchPlan plan = new LaunchPlanner(runs).plan(request("a-1", List.of("env"), Map.of(), "", secrets));

        assertThat(plan.spec().environment()).doesNotContainKey("GANTRY_SECRETS_DIR");
    }

    @Test
    void secretProblemsNameTheSecretsButNeverTheirValues() {
        List<Secret> secrets = List.of(
                new Secret("WITH_NUL", Secret.Target.ENV, "nul-\0-value"),
                new Secret("twice", Secret.Target.FILE, "first-value"),
                new Secret("twice", Secret.Target.FILE, "second-value"),
                new Secret("GANTRY_SECRETS_DIR", Secret.Target.ENV, "hiding-value"));

        BackendException failure = failureOf(request("a-1", List.of("env"), Map.of(), "", secrets));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage())
                .contains(
                        "'WITH_NUL' holds a NUL",
                        "'twice' is given more than once",
                        "'GANTRY_SECRETS_DIR' would hide")
                .doesNotContain("nul-", "first-value", "second-value", "hiding-value");
    }

    @Test
    void planShowsNoEnvironmentValue() throws BackendException {
        List<Secret> secrets = List.of(new Secret("TOKEN", Secret.Target.ENV, "secret-token"));
        LaunchRequest request = request("a-1", List.of("env"), Map.of("PLAIN", "job-value"), "", secrets);

        String shown = new LaunchPlanner(runs).plan(request).toString();

        assertThat(shown).contains("TOKEN", "PLAIN").doesNotContain("secret-token", "job-value");
    }

    private BackendException failureOf(LaunchRequest request) {
        return catchThrowableOfType(BackendException.class, () -> new LaunchPlanner(runs).plan(request));
    }

    private static LaunchRequest request(String attemptId, List<String> command, Map<String, String> env, String dir) {
        return request(attemptId, command, env, dir, List.of());
    }

    private static LaunchRequest request(
            String attemptId, List<String> command, Map<String, String> env, String dir, List<Secret> secrets) {
        return new LaunchRequest(
                attemptId, "job", 1, command, env, dir, Resources.NONE, Duration.ofMinutes(1), Map.of(), secrets);
    }
}
