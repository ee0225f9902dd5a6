package dev.gantry.examples.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Installs the packaged plugin folder in a Gantry control plane's plugins directory, as an operator
 * would, and runs jobs through it on a second, remote Gantry. Runs after {@code package} has
 * assembled {@code target/plugin/gantry-federation}.
 */
class FederationPluginIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    static Path pluginsDir;

    private static GantryServer remote;
    private static GantryServer local;

    @BeforeAll
    static void startBothControlPlanes() throws IOException {
        remote = GantryServer.start("it-remote", Map.of(), null);
        install(Path.of(System.getProperty("gantry.plugin.folder", "target/plugin/gantry-federation")));
        local = GantryServer.start("it-local", Map.of(
                "gantry.backends.cloud.type", FederationBackend.TYPE,
                "gantry.backends.cloud.url", remote.url().toString(),
                "gantry.backends.cloud.tenant", "on-prem",
                "gantry.backends.cloud.region", "cloud-1"), pluginsDir);
    }

    @AfterAll
    static void stopBothControlPlanes() throws IOException {
        try {
            if (local != null) {
                local.close();
            }
        } finally {
            if (remote != null) {
                remote.close();
            }
        }
    }

    @Test
    void backendOfThePluginIsListedAsUp() throws IOException {
        JsonNode backends = json(local.get("/v1/backends"));

        JsonNode cloud = find(backends.path("backends"), "id", "cloud");
        assertThat(cloud.path("type").asText()).isEqualTo(FederationBackend.TYPE);
        assertThat(cloud.path("status").asText()).as("%s", cloud).isEqualTo("UP");
        assertThat(cloud.path("region").asText()).isEqualTo("cloud-1");
        assertThat(cloud.path("capacity").path("totalSlots").asInt()).isEqualTo(FederationSettings.DEFAULT_SLOTS);
    }

    @Test
    void jobPlacedOnThePluginRunsOnTheRemoteAndCompletesLocally() throws Exception {
        String job = submit("""
                {"tenant": "it", "name": "federated-hello",
                 "command": ["/bin/sh", "-c", "echo hello from the remote; echo to stderr >&2"],
                 "placement": {"backends": ["cloud"]}}""");

        JsonNode ended = awaitEnd(local, job);

        assertThat(ended.path("state").asText()).as("%s", ended).isEqualTo("COMPLETED");
        JsonNode attempt = ended.path("attempts").get(0);
        assertThat(attempt.path("backend").asText()).isEqualTo("cloud");
        assertThat(attempt.path("exitCode").asInt()).isZero();
        assertThat(local.get("/v1/jobs/" + job + "/logs").body()).isEqualTo("hello from the remote\n");
        assertThat(local.get("/v1/jobs/" + job + "/logs?stream=stderr").body()).isEqualTo("to stderr\n");
        assertThat(remoteJobOf(attempt.path("id").asText()).path("tenant").asText()).isEqualTo("on-prem");
    }

    @Test
    void exitCodeOfTheRemoteRunIsTheLocalAttemptsExitCode() throws Exception {
        String job = submit("""
                {"tenant": "it", "command": ["/bin/sh", "-c", "exit 3"], "placement": {"backends": ["cloud"]}}""");

        JsonNode ended = awaitEnd(local, job);

        assertThat(ended.path("state").asText()).as("%s", ended).isEqualTo("FAILED");
        assertThat(ended.path("attempts").get(0).path("exitCode").asInt()).isEqualTo(3);
        assertThat(ended.path("attempts").get(0).path("endReason").asText()).isEqualTo("EXITED");
    }

    private static void install(Path pluginFolder) throws IOException {
        assertThat(pluginFolder).as("the plugin folder that `package` assembles").isDirectory();
        Path installed = Files.createDirectories(pluginsDir.resolve(pluginFolder.getFileName()));
        try (Stream<Path> jars = Files.list(pluginFolder)) {
            for (Path jar : jars.toList()) {
                Files.copy(jar, installed.resolve(jar.getFileName()));
            }
        }
    }

    private static String submit(String descriptor) throws IOException {
        GantryServer.Answer answer = local.post("/v1/jobs", descriptor);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return JSON.readTree(answer.body()).path("id").asText();
    }

    private static JsonNode awaitEnd(GantryServer server, String job) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        JsonNode current = json(server.get("/v1/jobs/" + job));
        while (!isTerminal(current.path("state").asText())) {
            assertThat(System.nanoTime()).as("job %s did not end within %s: %s", job, JOB_TIMEOUT, current)
                    .isLessThan(deadline);
            Thread.sleep(200);
            current = json(server.get("/v1/jobs/" + job));
        }
        return current;
    }

    private static JsonNode remoteJobOf(String localAttemptId) throws IOException {
        JsonNode page = json(remote.get("/v1/jobs?label=gantry-federation-attempt=" + localAttemptId));
        assertThat(page.path("jobs")).as("remote jobs of attempt %s", localAttemptId).hasSize(1);
        return page.path("jobs").get(0);
    }

    private static boolean isTerminal(String state) {
        return state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED");
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (element.path(field).asText().equals(value)) {
                return element;
            }
        }
        throw new AssertionError("no element with " + field + " '" + value + "' in " + array);
    }

    private static JsonNode json(GantryServer.Answer answer) throws IOException {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
