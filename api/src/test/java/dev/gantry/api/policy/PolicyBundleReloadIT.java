package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.bundles.ReloadingPolicyEngine;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The control plane with {@code gantry.policy.bundle} set to a bundle file built from the default
 * policies with other limits: the bundle is rebuilt under the running control plane, and admission
 * follows without a restart; garbage written in its place is refused and the last good bundle stays.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyBundleReloadIT implements ControlPlaneTestSupport {

    private static final Path POLICIES = Path.of("..", "policy", "src", "main", "rego", "gantry");
    private static final String JOB_WITH_8_CPUS =
            "{\"tenant\": \"acme\", \"command\": [\"true\"], \"resources\": {\"cpu\": 8}}";

    @Inject
    EmbeddedServer server;

    @Inject
    PolicyEngine policy;

    private Path bundle;

    @Override
    public Map<String, String> extraProperties() {
        try {
            Path directory = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bundle-");
            bundle = directory.resolve("bundle.tar.gz").toAbsolutePath();
            buildBundle(4, "max-cpu-4");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "gantry.policy.bundle", bundle.toString(),
                "gantry.policy.bundle-check-interval", "200ms");
    }

    @Test
    void rebuiltBundleAppliesWithoutRestartAndGarbageIsRefused() throws IOException {
        ApiClient api = new ApiClient(server.getURI());
        ApiClient.Response denied = api.post("/v1/jobs", JOB_WITH_8_CPUS);

        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("reasons").toString()).contains("cpu 8 exceeds the limit of 4 per job");
        assertThat(denied.json().get("policyRevision").asText()).isEqualTo("max-cpu-4");

        buildBundle(16, "max-cpu-16");
        assertThat(eventually(() -> api.post("/v1/jobs", JOB_WITH_8_CPUS).status(), 201)).isEqualTo(201);

        Files.writeString(bundle, "garbage, not a bundle");
        ReloadingPolicyEngine engine = (ReloadingPolicyEngine) policy;
        awaitRefusal(engine);

        ApiClient.Response admitted = api.post("/v1/jobs", JOB_WITH_8_CPUS);
        assertThat(admitted.status()).isEqualTo(201);
        assertThat(admitted.json().get("admission").get("revision").asText()).isEqualTo("max-cpu-16");
        assertThat(engine.revision()).isEqualTo("max-cpu-16");
        assertThat(engine.lastRefusal().orElseThrow().reason()).contains(bundle.toString());
    }

    /** Builds the default policies with another CPU limit, renamed into place over the bundle. */
    private void buildBundle(int maxCpu, String revision) throws IOException {
        Path source = Files.createTempDirectory(bundle.getParent(), "source-");
        Path gantry = Files.createDirectories(source.resolve("gantry"));
        try (Stream<Path> files = Files.list(POLICIES)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (!file.getFileName().toString().endsWith("_test.rego")) {
                    Files.copy(file, gantry.resolve(file.getFileName()));
                }
            }
        }
        Path data = gantry.resolve("data.json");
        Files.writeString(data, Files.readString(data).replaceFirst("\"max_cpu\": \\d+", "\"max_cpu\": " + maxCpu));
        Path built = source.resolve("bundle.tar.gz");
        run(opaExecutable(), "build", "--target=wasm", "--revision=" + revision,
                "--entrypoint=gantry/admission/decision", "--entrypoint=gantry/placement/decision",
                "--output=" + built, source.toString());
        Files.move(built, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void run(String... command) throws IOException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("opa build failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running opa", e);
        }
    }

    private static int eventually(IntSupplier status, int expected) {
        Instant deadline = Instant.now().plusSeconds(20);
        int last = status.getAsInt();
        while (last != expected && Instant.now().isBefore(deadline)) {
            pause();
            last = status.getAsInt();
        }
        return last;
    }

    private static void awaitRefusal(ReloadingPolicyEngine engine) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (engine.lastRefusal().isEmpty() && Instant.now().isBefore(deadline)) {
            pause();
        }
        assertThat(engine.lastRefusal()).as("the garbage bundle is refused").isPresent();
    }

    private static String opaExecutable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "opa"))) {
                return Path.of(dir, "opa").toString();
            }
        }
        Path fromGo = Path.of(System.getProperty("user.home"), "go", "bin", "opa");
        return Files.isExecutable(fromGo) ? fromGo.toString() : "opa";
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
