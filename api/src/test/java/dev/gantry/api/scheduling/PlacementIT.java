package dev.gantry.api.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import dev.gantry.plugins.TestPlugins;
import dev.gantry.spi.SpiVersion;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Placement through the whole control plane with the default policies, on a hybrid estate: one
 * small on-premises backend ({@code local}, one slot), two priced cloud backends in different
 * regions, a cheaper spot backend, and a GPU backend from the test plugin, which only reports capacity.
 * Every backend but the GPU one runs real processes.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlacementIT implements ControlPlaneTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String LONG_JOB = """
            {"tenant": "acme", "command": ["sleep", "60"], "timeout": "PT2M"}""";

    @Inject
    EmbeddedServer server;

    private ApiClient api;
    private final List<String> started = new ArrayList<>();

    @Override
    public Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("gantry.plugins-dir", testPlugin().toString());
        properties.put("gantry.backends.local.slots", "1");
        properties.put("gantry.backends.local.region", "eu-west-1");
        properties.put("gantry.backends.local.labels", "tier=on-prem");
        local(properties, "cloud-eu", "eu-west-1", "tier=cloud", "0.10");
        local(properties, "cloud-us", "us-east-1", "tier=cloud", "0.05");
        local(properties, "spot-us", "us-east-1", "tier=cloud,capacity=spot", "0.01");
        properties.put("gantry.backends.gpu.type", "gpu-test");
        properties.put("gantry.backends.gpu." + TestPlugins.GPUS, "4");
        properties.put("gantry.backends.gpu." + TestPlugins.REGION, "eu-west-1");
        properties.put("gantry.backends.gpu.tier", "cloud");
        return properties;
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @AfterEach
    void cancelLeftovers() {
        for (String id : started) {
            api.post("/v1/jobs/" + id + "/cancel", "");
        }
        for (String id : started) {
            api.awaitJob(id, job -> List.of("CANCELLED", "COMPLETED", "FAILED").contains(job.get("state").asText()),
                    WAIT);
        }
        started.clear();
    }

    @Test
    void onPremisesFirstThenBurstToTheCheapestCloudBackend() {
        String first = run(LONG_JOB);
        assertThat(backendOf(first)).isEqualTo("local");

        String second = run(LONG_JOB);

        assertThat(backendOf(second)).isEqualTo("cloud-us");
        JsonNode placement = lastPlacement(second);
        assertThat(placement.get("chosenBackend").asText()).isEqualTo("cloud-us");
        assertThat(ids(placement.get("eligible"))).startsWith("cloud-us", "cloud-eu");
        assertThat(reasonOf(placement.get("eligible"), "cloud-us")).contains("bursting");
        assertThat(ids(placement.get("rejected"))).contains("spot-us");
    }

    @Test
    void residencyKeepsTheJobInItsRegionWhenBursting() {
        run(LONG_JOB);

        String resident = run("""
                {"tenant": "acme", "command": ["sleep", "60"], "timeout": "PT2M",
                 "placement": {"region": "eu-west-1"}}""");

        assertThat(backendOf(resident)).isEqualTo("cloud-eu");
        JsonNode rejected = lastPlacement(resident).get("rejected");
        assertThat(reasonOf(rejected, "cloud-us")).contains("us-east-1").contains("eu-west-1");
    }

    @Test
    void spotCapacityOnlyForJobsThatAcceptInterruption() {
        String steady = run("""
                {"tenant": "acme", "command": ["sleep", "60"], "timeout": "PT2M",
                 "placement": {"region": "us-east-1"}}""");
        assertThat(backendOf(steady)).isEqualTo("cloud-us");
        assertThat(reasonOf(lastPlacement(steady).get("rejected"), "spot-us")).contains("interrupt");

        String interruptible = run("""
                {"tenant": "acme", "command": ["sleep", "60"], "timeout": "PT2M",
                 "placement": {"region": "us-east-1", "interruptible": true}}""");

        assertThat(backendOf(interruptible)).isEqualTo("spot-us");
    }

    @Test
    void gpuJobGoesWhereTheGpusAre() {
        JsonNode evaluation = api.post("/v1/policy/evaluate", """
                {"tenant": "acme", "command": ["train"], "resources": {"gpu": 2}}""").json();

        assertThat(evaluation.get("outcome").asText()).isEqualTo("WOULD_RUN");
        assertThat(evaluation.get("wouldRunOn").asText()).isEqualTo("gpu");
        JsonNode rejected = evaluation.get("placement").get("rejected");
        assertThat(ids(rejected)).containsExactlyInAnyOrder("cloud-eu", "cloud-us", "local", "spot-us");
        assertThat(reasonOf(rejected, "local")).contains("GPU");
    }

    @Test
    void waitingJobSaysWhatEachBackendLacks() {
        run(LONG_JOB);

        String pinned = api.submit("""
                {"tenant": "acme", "command": ["true"], "placement": {"backends": ["local"]}}""");
        started.add(pinned);
        JsonNode job = api.awaitJob(pinned, it -> !it.get("waiting").isNull(), WAIT);

        assertThat(job.get("state").asText()).isEqualTo("PENDING");
        JsonNode backends = job.get("waiting").get("backends");
        assertThat(obstacle(backends, "local").get("kind").asText()).isEqualTo("CAPACITY");
        assertThat(obstacle(backends, "local").get("reason").asText()).contains("no free slot");
        assertThat(obstacle(backends, "cloud-eu").get("kind").asText()).isEqualTo("CONSTRAINT");
        assertThat(obstacle(backends, "cloud-eu").get("reason").asText()).contains("allow-list");
        assertThat(job.get("waiting").get("holds")).isEmpty();
        assertThat(job.get("waitingReason").asText()).startsWith("waiting: ").contains("local: no free slot");
        JsonNode dryRun = api.post("/v1/policy/evaluate", """
                {"tenant": "acme", "command": ["true"], "placement": {"backends": ["local"]}}""").json();
        assertThat(dryRun.get("outcome").asText()).isEqualTo("WOULD_WAIT");
        assertThat(obstacle(dryRun.get("waiting").get("backends"), "local").get("kind").asText())
                .isEqualTo("CAPACITY");
        assertThat(dryRun.get("waitingReason").asText()).isEqualTo(job.get("waitingReason").asText());
    }

    @Test
    void runningJobsQuotaHoldsTheTenantsNextJob() {
        String first = run("""
                {"tenant": "quota-test", "command": ["sleep", "60"], "timeout": "PT2M"}""");

        String second = api.submit("""
                {"tenant": "quota-test", "command": ["true"]}""");
        started.add(second);
        JsonNode job = api.awaitJob(second, it -> !it.get("waiting").isNull(), WAIT);

        assertThat(job.get("state").asText()).isEqualTo("PENDING");
        assertThat(job.get("waiting").get("holds").get(0).asText()).contains("quota-test").contains("running");
        api.post("/v1/jobs/" + first + "/cancel", "");
        api.awaitState(second, "COMPLETED", WAIT);
    }

    private String run(String descriptor) {
        String id = api.submit(descriptor);
        started.add(id);
        api.awaitState(id, "RUNNING", WAIT);
        return id;
    }

    private String backendOf(String jobId) {
        return api.get("/v1/jobs/" + jobId).json().get("attempts").get(0).get("backend").asText();
    }

    private JsonNode lastPlacement(String jobId) {
        JsonNode last = null;
        for (JsonNode decision : api.get("/v1/jobs/" + jobId).json().get("decisions")) {
            if (decision.get("kind").asText().equals("PLACEMENT")) {
                last = decision;
            }
        }
        assertThat(last).as("a placement decision of job %s", jobId).isNotNull();
        return last;
    }

    private static List<String> ids(JsonNode choices) {
        List<String> ids = new ArrayList<>();
        choices.forEach(choice -> ids.add(choice.has("backendId")
                ? choice.get("backendId").asText()
                : choice.get("id").asText()));
        return ids;
    }

    private static String reasonOf(JsonNode choices, String backendId) {
        for (JsonNode choice : choices) {
            String id = choice.has("backendId") ? choice.get("backendId").asText() : choice.get("id").asText();
            if (id.equals(backendId)) {
                return choice.get("reason").asText();
            }
        }
        throw new AssertionError("no " + backendId + " in " + choices.toPrettyString());
    }

    private static JsonNode obstacle(JsonNode backends, String backendId) {
        for (JsonNode backend : backends) {
            if (backend.get("backendId").asText().equals(backendId)) {
                return backend;
            }
        }
        throw new AssertionError("no " + backendId + " in " + backends.toPrettyString());
    }

    private static void local(Map<String, String> properties, String id, String region, String labels, String price) {
        String prefix = "gantry.backends." + id + ".";
        properties.put(prefix + "type", "local-process");
        properties.put(prefix + "slots", "4");
        properties.put(prefix + "cpu", "8");
        properties.put(prefix + "memory", "16Gi");
        properties.put(prefix + "kill-grace", "1s");
        properties.put(prefix + "region", region);
        properties.put(prefix + "labels", labels);
        properties.put(prefix + "price-per-cpu-hour", price);
    }

    /** A plugins directory with the test plugin, whose backends run nothing. */
    private static Path testPlugin() {
        try {
            Path plugins = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "gantry-plugins-");
            TestPlugins.plugin("acme.gpu", "gpu-test", SpiVersion.CURRENT, TestPlugins.CREATE_FROM_SETTINGS)
                    .writeJar(plugins.resolve("gpu.jar"));
            return plugins;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
