package dev.gantry.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import dev.gantry.api.Processes;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsApiIT implements ControlPlaneTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void trivialJobRunsToCompletionWithItsEventsInOrder() {
        ApiClient.Response response = api.post("/v1/jobs", "{\"tenant\":\"acme\",\"command\":[\"true\"]}");

        assertThat(response.status()).isEqualTo(201);
        String id = response.json().get("id").asText();
        assertThat(response.location()).isEqualTo("/v1/jobs/" + id);
        JsonNode job = api.awaitState(id, "COMPLETED", WAIT);
        assertThat(job.get("attempts")).hasSize(1);
        JsonNode attempt = job.get("attempts").get(0);
        assertThat(attempt.get("exitCode").asInt()).isZero();
        assertThat(attempt.get("endReason").asText()).isEqualTo("EXITED");
        assertThat(attempt.get("backend").asText()).isEqualTo("local");
        assertThat(job.get("admission").get("allowed").asBoolean()).isTrue();
        String events = api.get("/v1/jobs/" + id + "/events").body();
        assertThat(eventTypes(events))
                .containsExactly("SUBMITTED", "SCHEDULED", "RUNNING", "ATTEMPT_ENDED", "COMPLETED");
    }

    @Test
    void stdoutAndStderrAreReadBackSeparately() {
        String id = api.submit(job("[\"sh\", \"-c\", \"echo out-line; echo err-line >&2\"]"));

        api.awaitState(id, "COMPLETED", WAIT);

        assertThat(api.get("/v1/jobs/" + id + "/logs").body()).isEqualTo("out-line\n");
        assertThat(api.get("/v1/jobs/" + id + "/logs?stream=stderr").body()).isEqualTo("err-line\n");
        assertThat(api.get("/v1/jobs/" + id + "/logs?offset=4").body()).isEqualTo("line\n");
    }

    @Test
    void followedLogsStreamUntilTheAttemptEnds() {
        String id = api.submit(job("[\"sh\", \"-c\", \"for i in 1 2 3; do echo line $i; sleep 0.2; done\"]"));

        ApiClient.Response logs = api.get("/v1/jobs/" + id + "/logs?follow=true");

        assertThat(logs.body()).isEqualTo("line 1\nline 2\nline 3\n");
        assertThat(api.get("/v1/jobs/" + id).json().get("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void argumentsReachTheProgramLiterallyWithoutAShell() {
        String id = api.submit(job("[\"echo\", \"$HOME; echo injected\", \"*\"]"));

        api.awaitState(id, "COMPLETED", WAIT);

        assertThat(api.get("/v1/jobs/" + id + "/logs").body()).isEqualTo("$HOME; echo injected *\n");
    }

    @Test
    void failingJobIsRetriedAsItsPolicySaysAndEndsFailedWithEveryAttempt() {
        String id = api.submit("""
                {"tenant": "acme", "command": ["sh", "-c", "exit 3"],
                 "retry": {"maxAttempts": 3, "backoff": {"initial": "PT0.1S", "max": "PT0.2S"}}}""");

        JsonNode job = api.awaitState(id, "FAILED", WAIT);

        assertThat(job.get("attempts")).hasSize(3);
        for (JsonNode attempt : job.get("attempts")) {
            assertThat(attempt.get("exitCode").asInt()).isEqualTo(3);
            assertThat(attempt.get("endReason").asText()).isEqualTo("EXITED");
        }
        assertThat(eventTypes(api.get("/v1/jobs/" + id + "/events").body())).contains("RETRYING").endsWith("FAILED");
    }

    @Test
    void timedOutJobIsKilledWithTheChildThatIgnoresSigterm() throws Exception {
        String id = api.submit("""
                {"tenant": "acme", "timeout": "PT1S",
                 "command": ["sh", "-c", "trap '' TERM; sleep 300 & echo $!; wait; wait"]}""");

        JsonNode job = api.awaitState(id, "FAILED", WAIT);

        JsonNode attempt = job.get("attempts").get(0);
        assertThat(attempt.get("endReason").asText()).isEqualTo("TIMED_OUT");
        assertThat(attempt.get("exitCode").asInt()).isEqualTo(137);
        assertThat(attempt.get("signal").asText()).isEqualTo("SIGKILL");
        assertProcessGone(childPid(id));
    }

    @Test
    void cancelledJobLeavesNoProcessBehind() throws Exception {
        String id = api.submit(job("[\"sh\", \"-c\", \"sleep 300 & echo $!; wait\"]"));
        long child = awaitChildPid(id);

        ApiClient.Response response = api.post("/v1/jobs/" + id + "/cancel", "");

        assertThat(response.status()).isIn(200, 202);
        JsonNode job = api.awaitState(id, "CANCELLED", WAIT);
        assertThat(job.get("attempts").get(0).get("endReason").asText()).isEqualTo("CANCELLED");
        assertProcessGone(child);
        assertThat(api.post("/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(200);
    }

    @Test
    void deniedJobGets403WithReasonsAndIsNotStored() {
        int before = countJobs();

        ApiClient.Response response = api.post("/v1/jobs",
                "{\"tenant\":\"acme\",\"command\":[\"true\"],\"resources\":{\"cpu\":512}}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("reasons").toString()).contains("cpu");
        assertThat(countJobs()).isEqualTo(before);
    }

    @Test
    void jobWithoutTenantIsDenied() {
        ApiClient.Response response = api.post("/v1/jobs", "{\"command\":[\"true\"]}");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("reasons").toString()).contains("tenant");
    }

    @Test
    void sameIdempotencyKeyAndBodyReturnsTheSameJob() {
        String key = UUID.randomUUID().toString();
        String body = job("[\"true\"]");

        ApiClient.Response first = api.post("/v1/jobs", body, key);
        ApiClient.Response second = api.post("/v1/jobs", body, key);
        ApiClient.Response different = api.post("/v1/jobs", job("[\"false\"]"), key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.json().get("jobId")).isEqualTo(first.json().get("id"));
    }

    @Test
    void listingFiltersByStateAndLabelNewestFirstWithACursor() {
        String team = "team-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(api.submit("{\"tenant\":\"acme\",\"command\":[\"true\"],\"labels\":{\"team\":\"" + team + "\"}}"));
        }
        ids.forEach(id -> api.awaitState(id, "COMPLETED", WAIT));

        JsonNode first = api.get("/v1/jobs?label=team=" + team + "&state=COMPLETED&limit=2").json();
        String cursor = first.get("nextCursor").asText();
        JsonNode second = api.get("/v1/jobs?label=team=" + team + "&limit=2&cursor=" + cursor).json();

        List<String> listed = new ArrayList<>();
        first.get("jobs").forEach(job -> listed.add(job.get("id").asText()));
        second.get("jobs").forEach(job -> listed.add(job.get("id").asText()));
        assertThat(listed).containsExactly(ids.get(2), ids.get(1), ids.get(0));
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(api.get("/v1/jobs?label=team=" + team + "&state=FAILED").json().get("jobs")).isEmpty();
    }

    @Test
    void labelValuesHoldingCommasCanBeFiltered() {
        String value = "a=b,c-" + UUID.randomUUID();
        String id = api.submit("{\"tenant\":\"acme\",\"command\":[\"true\"],\"labels\":{\"odd\":\"" + value + "\"}}");

        String query = URLEncoder.encode(value, StandardCharsets.UTF_8);
        JsonNode page = api.get("/v1/jobs?label=odd=" + query).json();

        assertThat(page.get("jobs")).hasSize(1);
        assertThat(page.get("jobs").get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    void unknownJobIs404Problem() {
        ApiClient.Response response = api.get("/v1/jobs/" + UUID.randomUUID());

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("title").asText()).isEqualTo("Job not found");
    }

    @Test
    void healthAnswersOnceReady() {
        ApiClient.Response response = api.get("/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("status").asText()).isEqualTo("UP");
    }

    private int countJobs() {
        return api.get("/v1/jobs?limit=500").json().get("jobs").size();
    }

    private static String job(String command) {
        return "{\"tenant\":\"acme\",\"command\":" + command + "}";
    }

    private long awaitChildPid(String id) {
        api.awaitJob(id, job -> !api.get("/v1/jobs/" + id + "/logs").body().isBlank(), WAIT);
        return childPid(id);
    }

    private long childPid(String id) {
        return Long.parseLong(api.get("/v1/jobs/" + id + "/logs").body().strip());
    }

    private static void assertProcessGone(long pid) throws InterruptedException {
        assertThat(Processes.awaitGone(pid, Duration.ofSeconds(10))).as("process %d is gone", pid).isTrue();
    }

    static List<String> eventTypes(String sse) {
        List<String> types = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("event:")) {
                types.add(line.substring("event:".length()).strip());
            }
        }
        return types;
    }
}
