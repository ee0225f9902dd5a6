package dev.gantry.api.policy;

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

/** A dry run shows what policy decides about a descriptor, and stores and runs nothing. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyEvaluateIT implements ControlPlaneTestSupport {

    private static final String EVALUATE = "/v1/policy/evaluate";

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

    @Test
    void allowedJobShowsBothDecisionsAndWhereItWouldRun() {
        ApiClient.Response response = api.post(EVALUATE, "{\"tenant\":\"acme\",\"command\":[\"true\"]}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode result = response.json();
        JsonNode admission = result.get("admission");
        assertThat(admission.get("allowed").asBoolean()).isTrue();
        assertThat(admission.get("reasons")).isEmpty();
        assertThat(admission.get("revision").asText()).isNotBlank();
        assertThat(admission.get("inputDigest").asText()).matches("[0-9a-f]{64}");
        assertThat(admission.get("evaluationMicros").isIntegralNumber()).isTrue();
        JsonNode placement = result.get("placement");
        assertThat(placement.get("eligible").get(0).get("backendId").asText()).isEqualTo("local");
        assertThat(placement.get("eligible").get(0).get("reason").asText()).isNotBlank();
        assertThat(placement.get("rejected")).isEmpty();
        assertThat(placement.get("revision").asText()).isNotBlank();
        assertThat(result.get("wouldRunOn").asText()).isEqualTo("local");
        assertThat(result.get("waiting").isNull()).isTrue();
        assertThat(result.get("waitingReason").isNull()).isTrue();
        assertThat(result.get("outcome").asText()).isEqualTo("WOULD_RUN");
    }

    @Test
    void deniedJobShowsTheReasonsAndNoPlacement() {
        ApiClient.Response response = api.post(EVALUATE,
                "{\"tenant\":\"acme\",\"command\":[\"true\"],\"resources\":{\"cpu\":512}}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.get("admission").get("allowed").asBoolean()).isFalse();
        assertThat(result.get("admission").get("reasons").toString()).contains("cpu");
        assertThat(result.get("placement").isNull()).isTrue();
        assertThat(result.get("wouldRunOn").isNull()).isTrue();
        assertThat(result.get("outcome").asText()).isEqualTo("DENIED");
    }

    @Test
    void gpuJobNoBackendCanRunShowsEachRejection() {
        ApiClient.Response response = api.post(EVALUATE,
                "{\"tenant\":\"acme\",\"command\":[\"true\"],\"resources\":{\"gpu\":1}}");

        assertThat(response.status()).isEqualTo(200);
        JsonNode result = response.json();
        assertThat(result.get("admission").get("allowed").asBoolean()).isTrue();
        JsonNode placement = result.get("placement");
        assertThat(placement.get("eligible")).isEmpty();
        assertThat(placement.get("rejected").get(0).get("backendId").asText()).isEqualTo("local");
        assertThat(placement.get("rejected").get(0).get("reason").asText()).contains("GPU");
        assertThat(result.get("wouldRunOn").isNull()).isTrue();
        assertThat(result.get("outcome").asText()).isEqualTo("UNPLACEABLE");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        invalid JSON     | {"command": ["true"                                     | ''
        missing command  | {"tenant": "acme"}                                      | command
        misspelt field   | {"tenant": "acme", "command": ["true"], "timout": "PT5S"} | timout
        negative cpu     | {"tenant": "acme", "command": ["true"], "resources": {"cpu": -1}} | resources.cpu
        """)
    void invalidDescriptorGetsTheSameProblemAsASubmission(String description, String body, String field) {
        ApiClient.Response response = api.post(EVALUATE, body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("title").asText()).isEqualTo("Invalid request");
        assertThat(fields(response.json())).contains(field);
        assertThat(response.json().get("errors")).isEqualTo(api.post("/v1/jobs", body).json().get("errors"));
    }

    @Test
    void emptyBodyIsRejectedAsInvalid() {
        ApiClient.Response response = api.post(EVALUATE, "");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asText()).contains("body is empty");
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
