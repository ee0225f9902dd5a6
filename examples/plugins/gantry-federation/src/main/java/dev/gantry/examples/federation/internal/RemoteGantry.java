package dev.gantry.examples.federation.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client of another Gantry control plane's v1 REST API. Every failure comes out as a
 * {@link BackendException} whose kind follows the remote's answer: a refused request is
 * {@link Kind#BAD_REQUEST}, a missing job {@link Kind#NOT_FOUND}, and a remote that cannot be
 * reached, is overloaded or reports a conflict is {@link Kind#UNAVAILABLE}, so the caller may try
 * again. Thread-safe; every call blocks for at most the request timeout.
 */
public final class RemoteGantry implements AutoCloseable {

    /** The most a problem document is read, so a misbehaving remote cannot flood memory. */
    private static final int MAX_PROBLEM_BYTES = 64 * 1024;
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain, application/problem+json";

    private final URI base;
    private final Duration timeout;
    private final ExecutorService executor;
    private final HttpClient client;
    private final ObjectMapper mapper = new ObjectMapper();
    private volatile boolean closed;

    /**
     * A client of the control plane at {@code base}, whose calls each take at most
     * {@code timeout}, running on daemon threads named {@code threadName}.
     */
    public RemoteGantry(URI base, Duration timeout, String threadName) {
        this.base = base;
        this.timeout = timeout;
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    /** Whether {@code id} has the shape of a job id, so that it can go into a URL path as it is. */
    public static boolean isJobId(String id) {
        return JOB_ID.matcher(id).matches();
    }

    /**
     * Submits a job under an idempotency key. The remote answers a repeated key with the same body
     * with the job it created the first time. When it reports a conflict naming an existing job,
     * that job is returned, for the caller to check it is the one it meant to create.
     */
    public JsonNode submit(JsonNode descriptor, String idempotencyKey) throws BackendException {
        String what = "forwarding attempt " + idempotencyKey;
        HttpRequest request = builder("/v1/jobs", JSON)
                .header("Content-Type", JSON)
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytesOf(descriptor)))
                .build();
        HttpResponse<byte[]> response = send(request, BodyHandlers.ofByteArray(), what);
        if (response.statusCode() == 200 || response.statusCode() == 201) {
            return json(response.body(), what);
        }
        String existing = problemOf(response.body()).path("jobId").asText("");
        if (response.statusCode() == 409 && isJobId(existing)) {
            return job(existing).orElseThrow(() -> failure(what, response.statusCode(), response.body()));
        }
        throw failure(what, response.statusCode(), response.body());
    }

    /** The job with this id, or empty when the remote has no such job. */
    public Optional<JsonNode> job(String id) throws BackendException {
        String what = "reading remote job " + id;
        HttpRequest request = builder(jobPath(id), JSON).GET().build();
        HttpResponse<byte[]> response = send(request, BodyHandlers.ofByteArray(), what);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw failure(what, response.statusCode(), response.body());
        }
        return Optional.of(json(response.body(), what));
    }

    /** Asks the remote to cancel a job; fails as {@link Kind#NOT_FOUND} when it has no such job. */
    public void cancel(String id) throws BackendException {
        String what = "cancelling remote job " + id;
        HttpRequest request = builder(jobPath(id) + "/cancel", JSON).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> response = send(request, BodyHandlers.ofByteArray(), what);
        if (response.statusCode() != 200 && response.statusCode() != 202) {
            throw failure(what, response.statusCode(), response.body());
        }
    }

    /**
     * Reads at most {@code maxBytes} of the latest attempt's {@code stream} ({@code stdout} or
     * {@code stderr}) from byte {@code offset}, and whether the remote had no more to send.
     */
    public LogRead logs(String id, String stream, long offset, int maxBytes) throws BackendException {
        String what = "reading " + stream + " of remote job " + id;
        String path = jobPath(id) + "/logs" + query(List.of(
                Map.entry("stream", stream), Map.entry("offset", Long.toString(offset))));
        HttpRequest request = builder(path, TEXT).GET().build();
        HttpResponse<InputStream> response = send(request, BodyHandlers.ofInputStream(), what);
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw failure(what, response.statusCode(), body.readNBytes(MAX_PROBLEM_BYTES));
            }
            byte[] data = body.readNBytes(maxBytes);
            boolean atEnd = data.length < maxBytes || body.read() < 0;
            return new LogRead(data, atEnd);
        } catch (IOException e) {
            throw unreachable(what, e);
        }
    }

    /**
     * One page of the remote's job listing, filtered by {@code labels} ({@code name=value}) and
     * {@code states}, after {@code cursor} (null for the first page).
     */
    public JsonNode jobs(List<String> labels, List<String> states, int limit, String cursor) throws BackendException {
        String what = "listing remote jobs";
        List<Map.Entry<String, String>> parameters = new ArrayList<>();
        labels.forEach(label -> parameters.add(Map.entry("label", label)));
        parameters.add(Map.entry("state", String.join(",", states)));
        parameters.add(Map.entry("limit", Integer.toString(limit)));
        if (cursor != null) {
            parameters.add(Map.entry("cursor", cursor));
        }
        HttpRequest request = builder("/v1/jobs" + query(parameters), JSON).GET().build();
        HttpResponse<byte[]> response = send(request, BodyHandlers.ofByteArray(), what);
        if (response.statusCode() != 200) {
            throw failure(what, response.statusCode(), response.body());
        }
        return json(response.body(), what);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the client's threads. Calls made afterwards fail as {@link Kind#UNAVAILABLE}. The JDK
     * client's own selector thread ends once the client is no longer referenced.
     */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }

    private HttpRequest.Builder builder(String path, String accept) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", accept);
    }

    private static String jobPath(String id) {
        if (!isJobId(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a remote job id");
        }
        return "/v1/jobs/" + id;
    }

    private static String query(List<Map.Entry<String, String>> parameters) {
        return parameters.stream()
                .map(p -> p.getKey() + "=" + URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "?", ""));
    }

    private <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler, String what)
            throws BackendException {
        if (closed) {
            throw new BackendException(Kind.UNAVAILABLE, what + " failed: the backend is closed");
        }
        try {
            return client.send(request, handler);
        } catch (IOException e) {
            throw unreachable(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException(Kind.UNAVAILABLE, what + " was interrupted", e);
        }
    }

    private BackendException unreachable(String what, IOException e) {
        String why = e instanceof HttpTimeoutException
                ? "did not answer within " + timeout
                : "could not be reached: " + e;
        return new BackendException(Kind.UNAVAILABLE, what + " failed: remote Gantry " + base + " " + why, e);
    }

    private BackendException failure(String what, int status, byte[] body) {
        JsonNode problem = problemOf(body);
        String detail = problem.path("detail").asText("");
        return switch (status) {
            case 400 -> new BackendException(Kind.BAD_REQUEST,
                    what + " failed: remote Gantry refused the request: " + fieldErrors(problem, detail));
            case 403 -> new BackendException(Kind.BAD_REQUEST,
                    what + " failed: remote admission policy denied the job: " + reasons(problem, detail));
            case 404 -> new BackendException(Kind.NOT_FOUND, what + " failed: remote Gantry has no such job");
            default -> new BackendException(Kind.UNAVAILABLE,
                    what + " failed: remote Gantry answered HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
        };
    }

    private static String fieldErrors(JsonNode problem, String detail) {
        List<String> errors = new ArrayList<>();
        problem.path("errors").forEach(error -> {
            String field = error.path("field").asText("");
            errors.add((field.isEmpty() ? "" : field + " ") + error.path("message").asText(""));
        });
        return errors.isEmpty() ? detail : String.join("; ", errors);
    }

    private static String reasons(JsonNode problem, String detail) {
        List<String> reasons = new ArrayList<>();
        problem.path("reasons").forEach(reason -> reasons.add(reason.asText()));
        return reasons.isEmpty() ? detail : String.join("; ", reasons);
    }

    private JsonNode problemOf(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            // Not a problem document (a proxy's HTML page, say): the status alone must do.
            return MissingNode.getInstance();
        }
    }

    private JsonNode json(byte[] body, String what) throws BackendException {
        try {
            return mapper.readTree(body);
        } catch (IOException e) {
            throw new BackendException(Kind.UNAVAILABLE, what + " failed: remote Gantry answered with invalid JSON", e);
        }
    }

    private byte[] bytesOf(JsonNode descriptor) {
        try {
            return mapper.writeValueAsBytes(descriptor);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }

    /**
     * A piece of a remote log.
     *
     * @param data the bytes read
     * @param atEnd the remote sent nothing after them
     */
    public record LogRead(byte[] data, boolean atEnd) {

        public LogRead {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }
    }
}
