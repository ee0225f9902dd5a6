package dev.gantry.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Policy decisions are stored with the job they concern and shown on it, without flooding. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecisionLogIT implements ControlPlaneTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String HEX_SHA256 = "[0-9a-f]{64}";

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("gantry.backends.local.slots", "1");
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void admissionAndPlacementDecisionsAppearOnTheJobOldestFirst() {
        String id = api.submit("{\"tenant\":\"acme\",\"command\":[\"true\"]}");

        JsonNode job = api.awaitState(id, "COMPLETED", WAIT);

        List<JsonNode> decisions = list(job.get("decisions"));
        JsonNode admission = decisions.get(0);
        assertThat(admission.get("kind").asText()).isEqualTo("ADMISSION");
        assertThat(admission.get("allowed").asBoolean()).isTrue();
        assertThat(admission.get("revision").asText()).isEqualTo(job.get("admission").get("revision").asText());
        assertThat(admission.get("inputDigest").asText())
                .isEqualTo(job.get("admission").get("inputDigest").asText())
                .matches(HEX_SHA256);
        JsonNode placed = decisions.get(decisions.size() - 1);
        assertThat(placed.get("kind").asText()).isEqualTo("PLACEMENT");
        assertThat(placed.get("attempt").asInt()).isEqualTo(1);
        assertThat(placed.get("chosenBackend").asText()).isEqualTo("local");
        assertThat(placed.get("eligible").get(0).get("backendId").asText()).isEqualTo("local");
        assertThat(placed.get("revision").asText()).isNotBlank();
        assertThat(placed.get("inputDigest").asText()).matches(HEX_SHA256);
        assertThat(placed.get("reasons").get(0).asText()).contains("attempt 1 placed on backend local");
    }

    @Test
    void waitingJobStoresOneDecisionPerReasonNotOnePerSchedulerPass() {
        List<String> ids = new ArrayList<>();
        try {
            ids.add(api.submit("{\"tenant\":\"acme\",\"command\":[\"sleep\",\"300\"]}"));
            api.awaitState(ids.get(0), "RUNNING", WAIT);
            String waiter = submitAndAwaitWaiting(ids);

            // Every submission wakes the scheduler, and each pass looks at the waiter again.
            for (int i = 0; i < 5; i++) {
                submitAndAwaitWaiting(ids);
            }

            JsonNode job = api.get("/v1/jobs/" + waiter).json();
            assertThat(job.get("state").asText()).isEqualTo("PENDING");
            List<JsonNode> placements = list(job.get("decisions")).stream()
                    .filter(decision -> decision.get("kind").asText().equals("PLACEMENT"))
                    .toList();
            assertThat(placements).hasSize(1);
            assertThat(placements.get(0).get("attempt").isNull()).isTrue();
            assertThat(placements.get(0).get("reasons").get(0).asText()).isEqualTo(job.get("waitingReason").asText());
        } finally {
            ids.forEach(id -> api.post("/v1/jobs/" + id + "/cancel", ""));
        }
    }

    private String submitAndAwaitWaiting(List<String> ids) {
        String id = api.submit("{\"tenant\":\"acme\",\"command\":[\"true\"]}");
        ids.add(id);
        api.awaitJob(id, job -> job.get("waitingReason").isTextual(), WAIT);
        return id;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }
}
