package dev.gantry.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;

/** A small HTTP client for tests that talk to a real control plane over loopback. */
public final class ApiClient {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ApiClient(URI base) {
        this.base = base;
    }

    /** A response with its body read as text. */
    public record Response(int status, String contentType, String location, String body) {

        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("response is not JSON: " + body, e);
            }
        }
    }

    public Response post(String path, String json) {
        return post(path, json, null);
    }

    public Response post(String path, String json, String idempotencyKey) {
        var builder = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return send(builder.build());
    }

    public Response postWithContentType(String path, String body, String contentType) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET().build());
    }

    public Response put(String path, byte[] body, String contentType) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    }

    /** A POST without a body or a content type, as {@code curl -X POST} sends it. */
    public Response postEmpty(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE().build());
    }

    /** Submits a job and returns its id, failing unless the answer is 201. */
    public String submit(String json) {
        Response response = post("/v1/jobs", json);
        if (response.status() != 201) {
            throw new AssertionError(
                    "expected 201 for " + json + " but got " + response.status() + ": " + response.body());
        }
        return response.json().get("id").asText();
    }

    /**
     * The value of one sample on the Prometheus endpoint: the series named {@code name} carrying
     * every one of {@code tags}; 0 when there is no such series yet.
     */
    public double metric(String name, Map<String, String> tags) {
        Response response = get("/prometheus");
        if (response.status() != 200) {
            throw new AssertionError("GET /prometheus answered " + response.status() + ": " + response.body());
        }
        for (String line : response.body().split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
                continue;
            }
            String labels = line.contains("}") ? line.substring(0, line.lastIndexOf('}')) : "";
            boolean matches = tags.entrySet().stream()
                    .allMatch(tag -> labels.contains(tag.getKey() + "=\"" + tag.getValue() + "\""));
            if (matches) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Polls the job until {@code condition} holds, failing after {@code timeout}. */
    public JsonNode awaitJob(String jobId, Predicate<JsonNode> condition, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode job = get("/v1/jobs/" + jobId).json();
        while (!condition.test(job)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("job " + jobId + " did not reach the expected condition in " + timeout
                        + "; last seen: " + job.toPrettyString());
            }
            pause();
            job = get("/v1/jobs/" + jobId).json();
        }
        return job;
    }

    /** Polls the job until it is in {@code state}. */
    public JsonNode awaitState(String jobId, String state, Duration timeout) {
        return awaitJob(jobId, job -> job.get("state").asText().equals(state), timeout);
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(null),
                    response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
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
