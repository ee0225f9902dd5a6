package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Promoting a candidate from shadow into the embedded engine: only the revision that was reviewed
 * is promoted, and the next job is decided by it. Promotion changes the active policy, so these
 * tests have a control plane of their own and assert only on revisions they load themselves.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyShadowPromotionIT implements ControlPlaneTestSupport {

    private static final String SHADOW = "/v1/policy/shadow";
    private static final String GZIP = "application/gzip";

    @Inject
    EmbeddedServer server;

    private final TestBundles bundles = new TestBundles();
    private ApiClient api;

    @BeforeEach
    void startWithoutCandidate() {
        api = new ApiClient(server.getURI());
        api.delete(SHADOW);
    }

    @Test
    void onlyTheReviewedRevisionIsPromoted() {
        api.put(SHADOW, bundles.withMaxCpu(4, "promote-reviewed"), GZIP);

        ApiClient.Response wrong = api.postEmpty(SHADOW + "/promote?expectedRevision=promote-other");
        ApiClient.Response missing = api.postEmpty(SHADOW + "/promote");
        ApiClient.Response twice = api.post(SHADOW + "/promote?expectedRevision=promote-reviewed",
                "{\"expectedRevision\": \"promote-other\"}");

        assertThat(wrong.status()).isEqualTo(409);
        assertThat(wrong.contentType()).startsWith("application/problem+json");
        assertThat(wrong.json().get("type").asText()).isEqualTo("https://gantry.dev/problems/promotion-conflict");
        assertThat(wrong.json().get("detail").asText()).contains("'promote-other'", "'promote-reviewed'");
        assertThat(wrong.json().get("policyRevision").asText()).isEqualTo("promote-reviewed");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("expectedRevision");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("errors").get(0).get("message").asText()).contains("give it once");
        assertThat(api.get(SHADOW).json().get("candidateRevision").asText()).isEqualTo("promote-reviewed");
    }

    @Test
    void promotedCandidateDecidesTheNextJobAndTheShadowIsCleared() {
        String activeBefore = api.put(SHADOW, bundles.withMaxCpu(4, "promote-cpu-4"), GZIP)
                .json().get("activeRevision").asText();

        ApiClient.Response promoted = api.postEmpty(SHADOW + "/promote?expectedRevision=promote-cpu-4");

        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.json().get("revision").asText()).isEqualTo("promote-cpu-4");
        assertThat(promoted.json().get("previousRevision").asText()).isEqualTo(activeBefore);
        assertThat(api.get(SHADOW).status()).isEqualTo(404);
        ApiClient.Response admitted = api.post("/v1/jobs", job(2));
        assertThat(admitted.status()).isEqualTo(201);
        assertThat(admitted.json().get("admission").get("revision").asText()).isEqualTo("promote-cpu-4");
        ApiClient.Response denied = api.post("/v1/jobs", job(8));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("policyRevision").asText()).isEqualTo("promote-cpu-4");
    }

    @Test
    void expectedRevisionMayComeInAJsonBody() {
        api.put(SHADOW, bundles.withMaxCpu(32, "promote-cpu-32"), GZIP);

        ApiClient.Response promoted = api.post(SHADOW + "/promote", "{\"expectedRevision\": \"promote-cpu-32\"}");

        assertThat(promoted.status()).isEqualTo(200);
        JsonNode admission = api.post("/v1/jobs", job(16)).json().get("admission");
        assertThat(admission.get("revision").asText()).isEqualTo("promote-cpu-32");
        assertThat(admission.get("allowed").asBoolean()).isTrue();
    }

    private static String job(int cpu) {
        String tenant = "promote-" + UUID.randomUUID().toString().substring(0, 8);
        return "{\"tenant\": \"" + tenant + "\", \"command\": [\"true\"], \"resources\": {\"cpu\": " + cpu + "}}";
    }
}
