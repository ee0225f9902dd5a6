package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The control plane with {@code gantry.policy.engine=opa-server}, deciding through a real
 * {@code opa run --server} on loopback that serves the default policies. When OPA is down no job is
 * admitted (503, nothing stored), and admission resumes when it is back. A candidate can be tried in
 * shadow beside the server, but not promoted into it.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpaServerEngineIT implements ControlPlaneTestSupport {

    private static final Path POLICIES = Path.of("..", "policy", "src", "main", "rego");
    private static final String JOB = "{\"tenant\": \"acme\", \"command\": [\"true\"]}";

    @Inject
    EmbeddedServer server;

    private int opaPort;
    private Process opa;

    @Override
    public Map<String, String> extraProperties() {
        opaPort = freePort();
        opa = startOpa();
        return Map.of(
                "gantry.policy.engine", "opa-server",
                "gantry.policy.opa-server.url", "http://127.0.0.1:" + opaPort);
    }

    @AfterAll
    void stopOpa() throws InterruptedException {
        if (opa != null) {
            opa.destroyForcibly().waitFor();
        }
    }

    @Test
    void jobsAreAdmittedByTheServerAndNoneWhileItIsDown() throws Exception {
        ApiClient api = new ApiClient(server.getURI());
        String admitted = api.submit(JOB);
        api.awaitState(admitted, "COMPLETED", Duration.ofSeconds(30));
        int stored = api.get("/v1/jobs?limit=500").json().get("jobs").size();
        Map<String, String> failedAdmission = Map.of("decision", "admission", "source", "submission");
        double failedBefore = api.metric("gantry_policy_unavailable_total", failedAdmission);

        opa.destroyForcibly().waitFor();
        ApiClient.Response whileDown = api.post("/v1/jobs", JOB);

        assertThat(whileDown.status()).isEqualTo(503);
        assertThat(api.metric("gantry_policy_unavailable_total", failedAdmission)).isEqualTo(failedBefore + 1);
        assertThat(whileDown.contentType()).startsWith("application/problem+json");
        assertThat(api.get("/v1/jobs?limit=500").json().get("jobs")).hasSize(stored);

        opa = startOpa();
        assertThat(api.post("/v1/jobs", JOB).status()).isEqualTo(201);
    }

    @Test
    void candidateInShadowIsNotPromotedIntoTheServer() {
        ApiClient api = new ApiClient(server.getURI());
        byte[] candidate = new TestBundles().withMaxCpu(4, "shadow-for-opa-server");
        assertThat(api.put("/v1/policy/shadow", candidate, "application/gzip").status()).isEqualTo(201);

        ApiClient.Response promoted =
                api.postEmpty("/v1/policy/shadow/promote?expectedRevision=shadow-for-opa-server");

        assertThat(promoted.status()).isEqualTo(409);
        assertThat(promoted.json().get("detail").asText()).contains("publish the candidate bundle to the OPA server");
        assertThat(api.get("/v1/policy/shadow").json().get("candidateRevision").asText())
                .isEqualTo("shadow-for-opa-server");
        assertThat(api.delete("/v1/policy/shadow").status()).isEqualTo(204);
    }

    private Process startOpa() {
        try {
            Process process = new ProcessBuilder(
                    TestBundles.opaExecutable(), "run", "--server", "--addr", "127.0.0.1:" + opaPort,
                    POLICIES.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            awaitHealthy(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start opa; bin/test installs it", e);
        }
    }

    private void awaitHealthy(Process process) {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + opaPort + "/health")).build();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet: poll again until the deadline.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for opa", e);
            }
            pause();
        }
        throw new IllegalStateException("opa did not become healthy on port " + opaPort);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
