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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The control plane with {@code gantry.policy.bundle} set to a bundle file built from the default
 * policies with other limits: the bundle is rebuilt under the running control plane, and admission
 * follows without a restart; garbage written in its place is refused and the last good bundle stays;
 * jobs submitted while bundles are swapped under them are each decided by one whole bundle.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyBundleReloadIT implements ControlPlaneTestSupport {

    private static final String JOB_WITH_8_CPUS =
            "{\"tenant\": \"acme\", \"command\": [\"true\"], \"resources\": {\"cpu\": 8}}";

    @Inject
    EmbeddedServer server;

    @Inject
    PolicyEngine policy;

    private final TestBundles bundles = new TestBundles();
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
        buildBundle(4, "max-cpu-4");
        awaitRevision("max-cpu-4");
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

    /**
     * Four clients submit a job asking for 8 CPUs while the bundle in force alternates between one
     * that allows at most 4 and one that allows 16. Every answer must be the decision of exactly
     * one of them: admitted under the loose revision, or denied under the strict one for the strict
     * limit. A call that saw half of a swap would show another revision, a mismatch, or an error.
     */
    @Test
    void submissionsWhileBundlesAreSwappedAreEachDecidedByOneWholeBundle() throws Exception {
        ApiClient api = new ApiClient(server.getURI());
        Path strict = buildBundle(4, "strict", bundle.resolveSibling("strict.tar.gz"));
        Path loose = buildBundle(16, "loose", bundle.resolveSibling("loose.tar.gz"));
        copyIntoPlace(loose);
        awaitRevision("loose");
        AtomicBoolean submitting = new AtomicBoolean(true);
        AtomicInteger swaps = new AtomicInteger();
        Thread swapper = new Thread(() -> {
            for (int swap = 0; submitting.get() && swap < 200; swap++) {
                copyIntoPlace(swap % 2 == 0 ? strict : loose);
                swaps.incrementAndGet();
                pause();
                pause();
                pause();
            }
        }, "bundle-swapper");
        swapper.start();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int client = 0; client < 4; client++) {
                answers.add(clients.submit(() -> submitWhileSwapping(api, swaps)));
            }
            Set<String> seen = new HashSet<>();
            for (Future<List<String>> answer : answers) {
                seen.addAll(answer.get(120, TimeUnit.SECONDS));
            }
            assertThat(seen).as("answers seen while bundles were swapped").containsExactlyInAnyOrder(
                    "201 by loose", "403 by strict for the limit of 4");
        } finally {
            submitting.set(false);
            swapper.join();
            clients.shutdownNow();
        }
    }

    /**
     * Submits jobs one after another, at least 25 and until six swaps have happened (400 at most),
     * each for a new tenant, and describes each answer.
     */
    private static List<String> submitWhileSwapping(ApiClient api, AtomicInteger swaps) {
        List<String> answers = new ArrayList<>();
        while (answers.size() < 400 && (answers.size() < 25 || swaps.get() < 6)) {
            // A tenant of its own per job, so the tenants' CPU quotas never enter the decisions.
            String job = JOB_WITH_8_CPUS.replace("\"acme\"", "\"swap-" + UUID.randomUUID() + "\"");
            ApiClient.Response response = api.post("/v1/jobs", job);
            answers.add(switch (response.status()) {
                case 201 -> "201 by " + response.json().get("admission").get("revision").asText();
                case 403 -> "403 by " + response.json().get("policyRevision").asText()
                        + (response.json().get("reasons").toString().contains("exceeds the limit of 4 per job")
                                ? " for the limit of 4"
                                : " for " + response.json().get("reasons"));
                default -> response.status() + ": " + response.body();
            });
        }
        return answers;
    }

    private void copyIntoPlace(Path built) {
        try {
            Path next = Files.copy(built, bundle.resolveSibling("next.tar.gz"), StandardCopyOption.REPLACE_EXISTING);
            Files.move(next, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitRevision(String revision) {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!policy.revision().equals(revision) && Instant.now().isBefore(deadline)) {
            pause();
        }
        assertThat(policy.revision()).isEqualTo(revision);
    }

    /** Builds the default policies with another CPU limit, renamed into place over the bundle. */
    private void buildBundle(int maxCpu, String revision) throws IOException {
        Path built = buildBundle(maxCpu, revision, bundle.resolveSibling("built.tar.gz"));
        Files.move(built, bundle, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Builds the default policies with another CPU limit into {@code output}. */
    private Path buildBundle(int maxCpu, String revision, Path output) throws IOException {
        return Files.write(output, bundles.withMaxCpu(maxCpu, revision));
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

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
