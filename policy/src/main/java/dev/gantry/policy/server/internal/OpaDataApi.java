package dev.gantry.policy.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.policy.PolicyException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One OPA server's REST Data API, asked with {@code POST /v1/data/<path>?provenance=true} and a body
 * of {@code {"input": ...}}.
 *
 * <p>Thread-safe: it holds only immutable settings and a {@link HttpClient}, which is itself safe
 * to share. Every failure to get an answer becomes a {@link PolicyException} naming the URL and
 * the cause; the bearer token never appears in a message.
 */
public final class OpaDataApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final Optional<String> bearerToken;
    private final Duration requestTimeout;
    private final HttpClient client;

    /**
     * Creates a client for one server.
     *
     * @param baseUrl the server's base URL; a trailing slash is ignored
     * @param bearerToken sent as {@code Authorization: Bearer ...} when present
     * @param connectTimeout how long to wait for a connection
     * @param requestTimeout how long to wait for one answer
     */
    public OpaDataApi(URI baseUrl, Optional<String> bearerToken, Duration connectTimeout, Duration requestTimeout) {
        this.baseUrl = baseUrl.toString().replaceFirst("/+$", "");
        this.bearerToken = bearerToken;
        this.requestTimeout = requestTimeout;
        // OPA serves plain HTTP/1.1; asking for HTTP/2 would add an upgrade attempt to every new connection.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build();
    }

    /**
     * Asks for the value of a document under {@code data}.
     *
     * @param path the document's path below {@code /v1/data/}, such as {@code gantry/admission/decision}
     * @param inputJson the input document, already checked to be a JSON object
     * @throws PolicyException when the server cannot be reached, times out, answers with an error
     *     status or with a body that is not a Data API response
     */
    public Answer query(String path, String inputJson) throws PolicyException {
        String url = baseUrl + "/v1/data/" + path + "?provenance=true";
        HttpResponse<String> response = send(url, "{\"input\":" + inputJson + "}");
        if (response.statusCode() / 100 != 2) {
            throw new PolicyException("OPA server at " + url + " answered HTTP " + response.statusCode()
                    + errorDetail(response.body()));
        }
        JsonNode body = parse(url, response.body());
        return new Answer(Optional.ofNullable(body.get("result")), revision(body.path("provenance")));
    }

    /** The server's base URL, as configured without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    private HttpResponse<String> send(String url, String body) throws PolicyException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new PolicyException("OPA server at " + url + " did not answer: " + e.getMessage(), e);
        } catch (ConnectException e) {
            throw new PolicyException("OPA server at " + url + " is unreachable: " + describe(e), e);
        } catch (IOException e) {
            throw new PolicyException("OPA server at " + url + " failed: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicyException("interrupted while waiting for the OPA server at " + url, e);
        }
    }

    /** OPA's own error code and message, which name the problem without echoing the input. */
    private static String errorDetail(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.hasNonNull("code")) {
                return ": " + error.path("code").asText() + ": " + error.path("message").asText();
            }
        } catch (JsonProcessingException e) {
            // Not OPA's error document (a proxy's page, say); the status alone is the best description.
            return "";
        }
        return "";
    }

    private static JsonNode parse(String url, String body) throws PolicyException {
        try {
            JsonNode json = JSON.readTree(body);
            if (json == null || !json.isObject()) {
                throw new PolicyException("OPA server at " + url + " answered with a body that is not a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new PolicyException("OPA server at " + url + " answered with a body that is not JSON", e);
        }
    }

    /**
     * The revisions of the bundles the server evaluated with: the one revision when there is one
     * bundle, {@code name=revision} pairs sorted by name when there are several.
     */
    private static Optional<String> revision(JsonNode provenance) {
        List<String> revisions = new ArrayList<>();
        List<Map.Entry<String, JsonNode>> bundles = new ArrayList<>(provenance.path("bundles").properties());
        bundles.sort(Map.Entry.comparingByKey());
        for (Map.Entry<String, JsonNode> bundle : bundles) {
            String revision = bundle.getValue().path("revision").asText("");
            if (!revision.isEmpty()) {
                revisions.add(bundles.size() == 1 ? revision : bundle.getKey() + "=" + revision);
            }
        }
        return revisions.isEmpty() ? Optional.empty() : Optional.of(String.join(",", revisions));
    }

    private static String describe(Throwable e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }

    /**
     * One answer of the Data API.
     *
     * @param result the document's value; empty when it is undefined for the input
     * @param revision the bundle revision the server reported, when it was run from bundles
     */
    public record Answer(Optional<JsonNode> result, Optional<String> revision) {
    }
}
