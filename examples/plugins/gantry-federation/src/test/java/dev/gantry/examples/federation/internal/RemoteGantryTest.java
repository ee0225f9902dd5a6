package dev.gantry.examples.federation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.spi.BackendException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks how the remote's answers and silences become results and failures, against a stub API. */
class RemoteGantryTest {

    private static final String PROBLEM = "application/problem+json";

    private final Map<String, Reply> replies = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;
    private URI url;
    private RemoteGantry remote;

    @BeforeEach
    void startStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        remote = new RemoteGantry(url, Duration.ofSeconds(10), "remote-gantry-test");
    }

    @AfterEach
    void stopStub() {
        released.countDown();
        remote.close();
        server.stop(0);
    }

    @Test
    void refusedDescriptorIsBadRequestNamingEveryField() {
        reply("POST /v1/jobs", 400, PROBLEM, """
                {"title": "Invalid request", "status": 400, "detail": "command must not be empty (and 1 more)",
                 "errors": [{"field": "command", "message": "must not be empty"},
                            {"field": "resources.cpu", "message": "must be more than 0"}]}""");

        BackendException failure = failureOf(() -> remote.submit(descriptor(), "attempt-1"));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage())
                .contains("attempt-1", "command must not be empty; resources.cpu must be more than 0");
    }

    @Test
    void deniedJobIsBadRequestNamingThePolicyReasons() {
        reply("POST /v1/jobs", 403, PROBLEM, """
                {"title": "Job denied by admission policy", "status": 403, "detail": "a; b",
                 "reasons": ["cpu 512 exceeds the limit of 64 per job", "tenant is required"]}""");

        BackendException failure = failureOf(() -> remote.submit(descriptor(), "attempt-1"));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("cpu 512 exceeds the limit of 64 per job; tenant is required");
    }

    @Test
    void conflictNamingAnExistingJobReturnsThatJob() throws BackendException {
        reply("POST /v1/jobs", 409, PROBLEM, """
                {"title": "Idempotency key reused with a different body", "status": 409, "jobId": "job-7"}""");
        reply("GET /v1/jobs/job-7", 200, "application/json", """
                {"id": "job-7", "state": "RUNNING"}""");

        JsonNode job = remote.submit(descriptor(), "attempt-1");

        assertThat(job.path("id").asText()).isEqualTo("job-7");
    }

    @Test
    void conflictWithoutAJobIsUnavailable() {
        reply("POST /v1/jobs", 409, PROBLEM, """
                {"title": "Conflict", "status": 409, "detail": "busy"}""");

        BackendException failure = failureOf(() -> remote.submit(descriptor(), "attempt-1"));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
    }

    @Test
    void serverErrorWithoutProblemDocumentIsUnavailable() {
        reply("GET /v1/jobs/job-1", 503, "text/html", "<html>upstream down</html>");

        BackendException failure = failureOf(() -> remote.job("job-1"));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("reading remote job job-1", "HTTP 503");
    }

    @Test
    void missingJobIsEmptyForReadsAndNotFoundForCancel() throws BackendException {
        reply("GET /v1/jobs/job-1", 404, PROBLEM, "{\"status\": 404}");
        reply("POST /v1/jobs/job-1/cancel", 404, PROBLEM, "{\"status\": 404}");

        BackendException failure = failureOf(() -> remote.cancel("job-1"));

        assertThat(remote.job("job-1")).isEmpty();
        assertThat(failure.kind()).isEqualTo(BackendException.Kind.NOT_FOUND);
    }

    @Test
    void logReadStopsAtMaxBytesAndSaysWhetherMoreFollowed() throws BackendException {
        reply("GET /v1/jobs/job-1/logs", 200, "text/plain", "0123456789");

        RemoteGantry.LogRead page = remote.logs("job-1", "stdout", 0, 4);
        RemoteGantry.LogRead rest = remote.logs("job-1", "stdout", 0, 64);

        assertThat(new String(page.data(), StandardCharsets.US_ASCII)).isEqualTo("0123");
        assertThat(page.atEnd()).isFalse();
        assertThat(rest.data()).hasSize(10);
        assertThat(rest.atEnd()).isTrue();
    }

    @Test
    void silentRemoteIsUnavailableAfterTheRequestTimeout() {
        reply("GET /v1/jobs/job-1", 0, "", "");

        BackendException failure;
        try (RemoteGantry impatient = new RemoteGantry(url, Duration.ofMillis(300), "remote-gantry-test")) {
            failure = failureOf(() -> impatient.job("job-1"));
        }

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("did not answer within PT0.3S");
    }

    @Test
    void closedClientFailsAsUnavailable() {
        remote.close();

        BackendException failure = failureOf(() -> remote.jobs(List.of(), List.of("RUNNING"), 10, null));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
    }

    private void reply(String request, int status, String contentType, String body) {
        replies.put(request, new Reply(status, contentType, body));
    }

    private void answer(HttpExchange exchange) throws IOException {
        Reply reply = replies.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        if (reply == null) {
            reply = new Reply(500, "text/plain", "no reply stubbed");
        }
        if (reply.status() == 0) {
            awaitRelease();
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.sendResponseHeaders(reply.status() == 0 ? 500 : reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void awaitRelease() {
        try {
            released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode descriptor() {
        return JsonNodeFactory.instance.objectNode().put("tenant", "tck");
    }

    private static BackendException failureOf(Call call) {
        BackendException failure = catchThrowableOfType(BackendException.class, call::run);
        assertThat(failure).as("expected a BackendException").isNotNull();
        return failure;
    }

    @FunctionalInterface
    private interface Call {
        void run() throws BackendException;
    }

    private record Reply(int status, String contentType, String body) {
    }
}
