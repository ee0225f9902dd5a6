package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A candidate bundle in shadow beside the compiled-in policies (which allow up to 64 CPUs): it is
 * compared on live submissions and on stored decisions, changes nothing about the jobs, and a
 * bundle that does not load is refused without touching the candidate already loaded.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyShadowIT implements ControlPlaneTestSupport {

    private static final String SHADOW = "/v1/policy/shadow";
    private static final String GZIP = "application/gzip";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String SMALL_JOBS_ONLY = """
            package gantry.admission

            # Defined for small jobs only: a bigger one gets no decision at all.
            decision := {"allow": true, "reasons": []} if input.job.resources.cpu < 2
            """;

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
    void withoutCandidateEveryShadowCallIsNotFound() {
        ApiClient.Response report = api.get(SHADOW);

        assertThat(report.status()).isEqualTo(404);
        assertThat(report.contentType()).startsWith("application/problem+json");
        assertThat(report.json().get("type").asText()).isEqualTo("https://gantry.dev/problems/shadow-not-found");
        assertThat(api.delete(SHADOW).status()).isEqualTo(404);
        assertThat(api.postEmpty(SHADOW + "/promote?expectedRevision=any").status()).isEqualTo(404);
    }

    @Test
    void loadedCandidateIsReportedBesideTheActivePolicy() {
        ApiClient.Response loaded = api.put(SHADOW, bundles.withMaxCpu(4, "shadow-loaded"), GZIP);

        assertThat(loaded.status()).isEqualTo(201);
        assertThat(loaded.location()).isEqualTo(SHADOW);
        JsonNode report = loaded.json();
        assertThat(report.get("candidateRevision").asText()).isEqualTo("shadow-loaded");
        assertThat(report.get("activeRevision").asText()).isNotBlank().isNotEqualTo("shadow-loaded");
        assertThat(report.get("bundleDigest").asText()).matches("[0-9a-f]{64}");
        assertThat(report.get("loadedAt").asText()).isNotBlank();
        assertThat(report.get("live").get("compared").asLong()).isZero();
        assertThat(api.get(SHADOW).json().get("candidateRevision").asText()).isEqualTo("shadow-loaded");
    }

    @Test
    void liveSubmissionIsComparedAndRunsAsTheActivePolicyDecided() {
        String activeRevision = api.put(SHADOW, bundles.withMaxCpu(4, "shadow-cpu-4"), GZIP)
                .json().get("activeRevision").asText();
        String tenant = tenant();

        String jobId = api.submit(job(tenant, 8));
        JsonNode job = api.awaitState(jobId, "COMPLETED", TIMEOUT);
        JsonNode change = awaitChange(found -> isFrom(found, "live", "ADMISSION", tenant));

        assertThat(job.get("admission").get("revision").asText()).isEqualTo(activeRevision);
        assertThat(change.get("jobId").isNull()).isTrue();
        assertThat(change.get("storedRevision").isNull()).isTrue();
        assertThat(change.get("inputDigest").asText()).isEqualTo(job.get("admission").get("inputDigest").asText());
        assertThat(change.get("active").get("allowed").asBoolean()).isTrue();
        assertThat(change.get("active").get("revision").asText()).isEqualTo(activeRevision);
        assertThat(change.get("candidate").get("allowed").asBoolean()).isFalse();
        assertThat(change.get("candidate").get("reasons").toString()).contains("cpu 8 exceeds the limit of 4 per job");
        assertThat(change.get("candidate").get("revision").asText()).isEqualTo("shadow-cpu-4");
        assertThat(change.get("candidateError").isNull()).isTrue();
        JsonNode report = awaitReport(shadow -> shadow.get("live").get("compared").asLong() >= 2);
        assertThat(changesOf(report, "live", "PLACEMENT", tenant)).isEmpty();
    }

    @Test
    void deniedSubmissionIsComparedToo() {
        api.put(SHADOW, bundles.withMaxCpu(128, "shadow-cpu-128"), GZIP);
        String tenant = tenant();

        ApiClient.Response denied = api.post("/v1/jobs", job(tenant, 100));
        JsonNode change = awaitChange(found -> isFrom(found, "live", "ADMISSION", tenant));

        assertThat(denied.status()).isEqualTo(403);
        assertThat(change.get("active").get("allowed").asBoolean()).isFalse();
        assertThat(change.get("candidate").get("allowed").asBoolean()).isTrue();
        assertThat(change.get("candidate").get("reasons")).isEmpty();
    }

    @Test
    void candidateThatCannotDecideCountsAsAChange() {
        api.put(SHADOW, bundles.withAdmission(SMALL_JOBS_ONLY, "shadow-small-only"), GZIP);
        String tenant = tenant();

        String jobId = api.submit(job(tenant, 4));
        JsonNode change = awaitChange(found -> isFrom(found, "live", "ADMISSION", tenant));
        JsonNode live = api.get(SHADOW).json().get("live");

        assertThat(api.awaitState(jobId, "COMPLETED", TIMEOUT).get("admission").get("allowed").asBoolean()).isTrue();
        assertThat(change.get("candidate").isNull()).isTrue();
        assertThat(change.get("candidateError").asText()).contains("gantry/admission/decision is undefined");
        assertThat(live.get("failed").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(live.get("changed").asLong()).isGreaterThanOrEqualTo(live.get("failed").asLong());
    }

    @Test
    void replayFindsChangesAmongStoredDecisions() {
        String tenant = tenant();
        String jobId = api.submit(job(tenant, 8));
        JsonNode job = api.awaitState(jobId, "COMPLETED", TIMEOUT);

        api.put(SHADOW, bundles.withMaxCpu(4, "shadow-replay"), GZIP);
        JsonNode report = awaitReport(shadow -> shadow.get("replay").get("state").asText().equals("DONE"));

        JsonNode replay = report.get("replay");
        assertThat(replay.get("total").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(replay.get("replayed").asInt()).isEqualTo(replay.get("total").asInt());
        assertThat(replay.get("changed").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(replay.get("finishedAt").asText()).isNotBlank();
        List<JsonNode> changes = changesOf(report, "replay", "ADMISSION", tenant);
        assertThat(changes).hasSize(1);
        JsonNode change = changes.get(0);
        assertThat(change.get("jobId").asText()).isEqualTo(jobId);
        assertThat(change.get("storedRevision").asText()).isEqualTo(job.get("admission").get("revision").asText());
        assertThat(change.get("inputDigest").asText()).isEqualTo(job.get("admission").get("inputDigest").asText());
        assertThat(change.get("active").get("allowed").asBoolean()).isTrue();
        assertThat(change.get("candidate").get("allowed").asBoolean()).isFalse();
        assertThat(changesOf(report, "replay", "PLACEMENT", tenant)).isEmpty();
    }

    @Test
    void brokenCandidateIsRefusedAndTheEarlierOneStays() {
        api.put(SHADOW, bundles.withMaxCpu(4, "shadow-kept"), GZIP);

        ApiClient.Response garbage = api.put(SHADOW, "not a bundle".getBytes(), GZIP);
        ApiClient.Response noPlacement =
                api.put(SHADOW, bundles.withoutPlacementEntrypoint("shadow-no-placement"), "application/octet-stream");

        assertThat(garbage.status()).isEqualTo(422);
        assertThat(garbage.contentType()).startsWith("application/problem+json");
        assertThat(garbage.json().get("type").asText()).isEqualTo("https://gantry.dev/problems/candidate-refused");
        assertThat(garbage.json().get("policyRevision").asText()).isEqualTo("unknown");
        assertThat(noPlacement.status()).isEqualTo(422);
        assertThat(noPlacement.json().get("detail").asText()).contains("has no entrypoint gantry/placement/decision");
        assertThat(noPlacement.json().get("policyRevision").asText()).isEqualTo("shadow-no-placement");
        assertThat(api.get(SHADOW).json().get("candidateRevision").asText()).isEqualTo("shadow-kept");
    }

    @Test
    void candidateThatWouldBreakEveryDecisionIsRefused() {
        api.put(SHADOW, bundles.withMaxCpu(4, "shadow-kept-too"), GZIP);

        ApiClient.Response longRevision = api.put(SHADOW, bundles.withMaxCpu(4, "r".repeat(300)), GZIP);
        ApiClient.Response badLabels =
                api.put(SHADOW, bundles.withDefaultLabels("{\"bad name!\": \"v\"}", "shadow-bad-labels"), GZIP);

        assertThat(longRevision.status()).isEqualTo(422);
        assertThat(longRevision.json().get("detail").asText()).contains("300 characters long");
        assertThat(badLabels.status()).isEqualTo(422);
        assertThat(badLabels.json().get("detail").asText()).contains("'bad name!'");
        assertThat(api.get(SHADOW).json().get("candidateRevision").asText()).isEqualTo("shadow-kept-too");
    }

    @Test
    void emptyOrMistypedUploadIsABadRequest() {
        ApiClient.Response empty = api.put(SHADOW, new byte[0], GZIP);
        ApiClient.Response json = api.put(SHADOW, "{}".getBytes(), "application/json");

        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().get("errors").get(0).get("field").asText()).isEqualTo("body");
        assertThat(json.status()).isEqualTo(415);
        assertThat(api.get(SHADOW).status()).isEqualTo(404);
    }

    @Test
    void discardedCandidateIsGone() {
        api.put(SHADOW, bundles.withMaxCpu(4, "shadow-discarded"), GZIP);

        ApiClient.Response discarded = api.delete(SHADOW);

        assertThat(discarded.status()).isEqualTo(204);
        assertThat(api.get(SHADOW).status()).isEqualTo(404);
        assertThat(api.delete(SHADOW).status()).isEqualTo(404);
    }

    @Test
    void dryRunIsNotCompared() {
        api.put(SHADOW, bundles.withMaxCpu(4, "shadow-dry-run"), GZIP);
        String dryRunTenant = tenant();
        String submitTenant = tenant();

        ApiClient.Response dryRun = api.post("/v1/policy/evaluate", job(dryRunTenant, 8));
        api.submit(job(submitTenant, 8));
        // Live comparisons run one at a time in arrival order: once the submission's is in, a dry
        // run fed to the shadow before it would be in too.
        JsonNode report = awaitReport(shadow -> !changesOf(shadow, "live", "ADMISSION", submitTenant).isEmpty());

        assertThat(dryRun.status()).isEqualTo(200);
        assertThat(changesOf(report, "live", "ADMISSION", dryRunTenant)).isEmpty();
    }

    @Test
    void limitCapsTheChangesListedNewestFirst() {
        api.put(SHADOW, bundles.withMaxCpu(4, "shadow-limit"), GZIP);
        String tenant = tenant();
        api.submit(job(tenant, 8));
        api.submit(job(tenant, 9));
        awaitReport(shadow -> changesOf(shadow, "live", "ADMISSION", tenant).size() == 2);

        JsonNode two = api.get(SHADOW + "?limit=2").json();
        JsonNode none = api.get(SHADOW + "?limit=0").json();

        assertThat(two.get("changes")).hasSize(2);
        assertThat(Instant.parse(two.get("changes").get(0).get("at").asText()))
                .isAfterOrEqualTo(Instant.parse(two.get("changes").get(1).get("at").asText()));
        assertThat(none.get("changes")).isEmpty();
        assertThat(none.get("live").get("changed").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(api.get(SHADOW + "?limit=-1").status()).isEqualTo(400);
        assertThat(api.get(SHADOW + "?limit=many").status()).isEqualTo(400);
    }

    private static String tenant() {
        return "shadow-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String job(String tenant, int cpu) {
        return "{\"tenant\": \"" + tenant + "\", \"command\": [\"true\"], \"resources\": {\"cpu\": " + cpu + "}}";
    }

    private static boolean isFrom(JsonNode change, String source, String kind, String tenant) {
        return change.get("source").asText().equals(source) && change.get("kind").asText().equals(kind)
                && tenant.equals(change.get("tenant").asText());
    }

    private static List<JsonNode> changesOf(JsonNode report, String source, String kind, String tenant) {
        List<JsonNode> changes = new ArrayList<>();
        report.get("changes").forEach(change -> {
            if (isFrom(change, source, kind, tenant)) {
                changes.add(change);
            }
        });
        return changes;
    }

    private JsonNode awaitChange(Predicate<JsonNode> wanted) {
        JsonNode report = awaitReport(shadow -> find(shadow, wanted).isPresent());
        return find(report, wanted).orElseThrow();
    }

    private static Optional<JsonNode> find(JsonNode report, Predicate<JsonNode> wanted) {
        for (JsonNode change : report.get("changes")) {
            if (wanted.test(change)) {
                return Optional.of(change);
            }
        }
        return Optional.empty();
    }

    /** Polls the shadow report until {@code condition} holds, failing after the timeout. */
    private JsonNode awaitReport(Predicate<JsonNode> condition) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        JsonNode report = api.get(SHADOW).json();
        while (!condition.test(report)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the shadow report did not reach the expected condition in " + TIMEOUT
                        + "; last seen: " + report.toPrettyString());
            }
            pause();
            report = api.get(SHADOW).json();
        }
        return report;
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
