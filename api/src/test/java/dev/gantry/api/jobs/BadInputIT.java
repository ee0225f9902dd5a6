package dev.gantry.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every kind of bad input gets a 4xx problem document naming what is wrong, and stores nothing. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT implements ControlPlaneTestSupport {

    @Inject
    EmbeddedServer server;

    private ApiClient api;
    private int jobsBefore;

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
        jobsBefore = countJobs();
    }

    @AfterEach
    void nothingWasStored() {
        assertThat(countJobs()).as("jobs stored").isEqualTo(jobsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        invalid JSON                | {"command": ["true"             | ''
        not an object               | ["true"]                          | ''
        missing command             | {"tenant": "acme"}              | command
        empty command               | {"tenant": "acme", "command": []} | command
        command not strings         | {"tenant": "acme", "command": ["echo", 3]} | command[1]
        zero timeout                | {"tenant": "acme", "command": ["true"], "timeout": "PT0S"} | timeout
        negative timeout            | {"tenant": "acme", "command": ["true"], "timeout": "-PT5S"} | timeout
        timeout not a duration      | {"tenant": "acme", "command": ["true"], "timeout": "10 minutes"} | timeout
        negative cpu                | {"tenant": "acme", "command": ["true"], "resources": {"cpu": -1}} | resources.cpu
        memory not an amount | {"tenant": "a", "command": ["t"], "resources": {"memory": "lots"}} | resources.memory
        misspelt field              | {"tenant": "acme", "command": ["true"], "timout": "PT5S"} | timout
        bad env name                | {"tenant": "acme", "command": ["true"], "env": {"1BAD": "x"}} | env.1BAD
        working dir escapes         | {"tenant": "acme", "command": ["true"], "workingDir": "../.."} | workingDir
        attempts out of range       | {"tenant": "a", "command": ["t"], "retry": {"maxAttempts": 0}} | retry.maxAttempts
        """)
    void invalidDescriptorIsRejectedNamingTheField(String description, String body, String field) {
        ApiClient.Response response = api.post("/v1/jobs", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = response.json();
        assertThat(problem.get("title").asText()).isEqualTo("Invalid request");
        assertThat(fields(problem)).contains(field);
    }

    @Test
    void everyFieldAtFaultIsNamedAtOnce() {
        ApiClient.Response response = api.post("/v1/jobs",
                "{\"command\": [], \"timeout\": \"PT0S\", \"resources\": {\"cpu\": 0, \"gpu\": -1}}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json())).contains("command", "timeout", "resources.cpu", "resources.gpu");
    }

    @Test
    void overlongTenantAndLabelValueAreRejected() {
        String body = "{\"tenant\": \"" + "t".repeat(200) + "\", \"command\": [\"true\"], "
                + "\"labels\": {\"team\": \"" + "v".repeat(300) + "\"}}";

        ApiClient.Response response = api.post("/v1/jobs", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json())).containsExactlyInAnyOrder("tenant", "labels.team");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        repeated field      | {"tenant": "acme", "command": ["true"], "command": ["false"]} | ''
        text after object   | {"tenant": "acme", "command": ["true"]} trailing | ''
        reserved variable   | {"tenant": "acme", "command": ["true"], "env": {"GANTRY_JOB_ID": "x"}} | env.GANTRY_JOB_ID
        trace context       | {"tenant": "acme", "command": ["true"], "env": {"TRACEPARENT": "x"}} | env.TRACEPARENT
        lone surrogate      | {"tenant": "\\ud800", "command": ["true"]} | tenant
        priority too large  | {"tenant": "acme", "command": ["true"], "priority": 2147483648} | priority
        """)
    void ambiguousOrReservedInputIsRejected(String description, String body, String field) {
        ApiClient.Response response = api.post("/v1/jobs", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json())).contains(field);
    }

    @Test
    void deeplyNestedBodyIsRejectedNotAnError() {
        String body = "{\"tenant\": \"acme\", \"command\": [\"true\"], \"labels\": "
                + "[".repeat(1500) + "]".repeat(1500) + "}";

        ApiClient.Response response = api.post("/v1/jobs", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void jobNoBackendCouldEverRunIsRefused() {
        ApiClient.Response response = api.post("/v1/jobs",
                "{\"tenant\": \"acme\", \"command\": [\"true\"], \"resources\": {\"gpu\": 1}}");

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("reasons").get(0).asText()).startsWith("local:");
    }

    @Test
    void forgedCursorIsRejected() {
        String forged = java.util.Base64.getUrlEncoder().encodeToString("-1.-1.x".getBytes());

        ApiClient.Response response = api.get("/v1/jobs?cursor=" + forged);

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json())).containsExactly("cursor");
    }

    @Test
    void emptyBodyIsRejected() {
        ApiClient.Response response = api.post("/v1/jobs", "");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("empty");
    }

    @Test
    void oversizedBodyIsRejected() {
        String huge = "{\"tenant\": \"acme\", \"command\": [\"echo\", \"" + "x".repeat(2 * 1024 * 1024) + "\"]}";

        ApiClient.Response response = api.post("/v1/jobs", huge);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void wrongContentTypeIsRejected() {
        ApiClient.Response response = api.postWithContentType("/v1/jobs", "command=true", "text/plain");

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    @Test
    void unknownStateFilterIsRejected() {
        ApiClient.Response response = api.get("/v1/jobs?state=SLEEPING");

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json())).containsExactly("state");
        assertThat(response.json().get("errors").get(0).get("message").asText()).contains("SLEEPING");
    }

    @Test
    void malformedCursorAndLimitAreRejected() {
        ApiClient.Response response = api.get("/v1/jobs?cursor=not-a-cursor&limit=0");

        assertThat(response.status()).isEqualTo(400);
        assertThat(fields(response.json())).containsExactlyInAnyOrder("cursor", "limit");
    }

    @Test
    void unknownRouteIsAProblemDocument() {
        ApiClient.Response response = api.get("/v1/nothing-here");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private int countJobs() {
        return api.get("/v1/jobs?limit=500").json().get("jobs").size();
    }

    private static List<String> fields(JsonNode problem) {
        List<String> fields = new ArrayList<>();
        problem.get("errors").forEach(error -> fields.add(error.get("field").asText()));
        return fields;
    }
}
