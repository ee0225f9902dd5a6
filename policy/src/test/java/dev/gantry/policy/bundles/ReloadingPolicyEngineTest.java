package dev.gantry.policy.bundles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.embedded.OpaCli;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import dev.gantry.policy.internal.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bundles built here by the real opa, changed under a running engine. */
class ReloadingPolicyEngineTest {

    private static final Duration NEVER = Duration.ofHours(1);

    private static final String ADMISSION = """
            package gantry.admission

            decision := {"allow": allowed, "reasons": reasons}

            allowed if input.job.resources.cpu <= data.limits.max_cpu

            default allowed := false

            reasons := [] if allowed
            reasons := [sprintf("cpu %v exceeds %v", [input.job.resources.cpu, data.limits.max_cpu])] if not allowed
            """;
    private static final String PLACEMENT = """
            package gantry.placement

            decision := {"backends": [], "rejected": []}
            """;
    private static final String JOB_WITH_8_CPUS = """
            {"job": {"tenant": "acme", "command": ["true"], "resources": {"cpu": 8, "memoryBytes": 1, "gpu": 0}},
             "caller": {"tenant": "acme"}}""";

    private final OpaCli opa = OpaCli.locate();

    @TempDir
    Path directory;

    @Test
    void missingBundleAtStartIsAPolicyException() {
        Path missing = directory.resolve("missing.tar.gz");

        assertThatThrownBy(() -> ReloadingPolicyEngine.start(missing.toString(), NEVER, 1))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("cannot read policy bundle " + missing);
    }

    @Test
    void changedBundleIsPickedUpWithinTheInterval() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);

        try (ReloadingPolicyEngine engine =
                ReloadingPolicyEngine.start(bundle.toString(), Duration.ofMillis(100), 1)) {
            AdmissionDecision before = engine.admit(JOB_WITH_8_CPUS);
            install(build("r2", 16), bundle);
            awaitRevision(engine, "r2");
            AdmissionDecision after = engine.admit(JOB_WITH_8_CPUS);

            assertThat(before.allowed()).isFalse();
            assertThat(before.revision()).isEqualTo("r1");
            assertThat(after.allowed()).isTrue();
            assertThat(after.revision()).isEqualTo("r2");
            assertThat(engine.lastRefusal()).isEmpty();
        }
    }

    @Test
    void corruptBundleIsRefusedAndTheLastGoodOneStays() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            Files.writeString(bundle, "not a bundle");

            assertThat(engine.check()).isFalse();
            assertThat(engine.revision()).isEqualTo("r1");
            assertThat(engine.admit(JOB_WITH_8_CPUS).revision()).isEqualTo("r1");
            assertThat(engine.lastRefusal()).hasValueSatisfying(refusal -> {
                assertThat(refusal.location()).isEqualTo(bundle.toString());
                assertThat(refusal.revision()).isEqualTo("unknown");
                assertThat(refusal.reason()).startsWith("cannot read policy bundle " + bundle);
            });
        }
    }

    @Test
    void bundleWithoutAnEntrypointIsRefused() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            install(build("r2", 16, "--entrypoint=" + WasmPolicyEngine.ADMISSION_ENTRYPOINT), bundle);

            assertThat(engine.check()).isFalse();
            assertThat(engine.admit(JOB_WITH_8_CPUS).allowed()).isFalse();
            assertThat(engine.lastRefusal()).hasValueSatisfying(refusal -> {
                assertThat(refusal.revision()).isEqualTo("r2");
                assertThat(refusal.reason()).endsWith("has no entrypoint gantry/placement/decision;"
                        + " build it with -e gantry/placement/decision");
            });
        }
    }

    @Test
    void bundleWhoseDecisionIsUndefinedIsRefused() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);
        Path undefined = build("r2", "package gantry.admission\n\ndecision := {\"allow\": true} if input.never\n",
                PLACEMENT, "{}");

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            install(undefined, bundle);

            assertThat(engine.check()).isFalse();
            assertThat(engine.revision()).isEqualTo("r1");
            assertThat(engine.lastRefusal().orElseThrow().reason())
                    .contains("revision r2 fails its probe: gantry/admission/decision is undefined");
        }
    }

    @Test
    void goodBundleAfterARefusedOneIsLoaded() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            Files.writeString(bundle, "not a bundle");
            engine.check();
            install(build("r3", 16), bundle);

            assertThat(engine.check()).isTrue();
            assertThat(engine.admit(JOB_WITH_8_CPUS).allowed()).isTrue();
            assertThat(engine.revision()).isEqualTo("r3");
        }
    }

    @Test
    void decisionsDuringReloadsComeWhollyFromOneRevision() throws Exception {
        Path strict = build("strict", 4);
        Path lenient = build("lenient", 16);
        Path bundle = directory.resolve("bundle.tar.gz");
        install(strict, bundle);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger decisions = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 2)) {
            List<Thread> threads = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                Thread thread = new Thread(() -> {
                    started.countDown();
                    while (running.get()) {
                        evaluate(engine, problems);
                        decisions.incrementAndGet();
                    }
                });
                thread.start();
                threads.add(thread);
            }
            started.await();
            int swaps = 0;
            for (int flip = 0; flip < 8; flip++) {
                install(flip % 2 == 0 ? lenient : strict, bundle);
                swaps += engine.check() ? 1 : 0;
            }
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }

            assertThat(swaps).isEqualTo(8);
            assertThat(problems).isEmpty();
            assertThat(decisions.get()).isGreaterThan(8);
        }
    }

    @Test
    void bundleServedOverHttpIsReloadedAndAskedWithItsEtag() throws Exception {
        AtomicReference<byte[]> served = new AtomicReference<>(Files.readAllBytes(build("r1", 4)));
        AtomicInteger notModified = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/bundle.tar.gz", exchange -> {
            byte[] body = served.get();
            String etag = "\"" + Digests.sha256Hex(body) + "\"";
            exchange.getResponseHeaders().set("ETag", etag);
            if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                notModified.incrementAndGet();
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/bundle.tar.gz";

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(url, NEVER, 1)) {
            assertThat(engine.check()).isFalse();
            served.set(Files.readAllBytes(build("r2", 16)));
            assertThat(engine.check()).isTrue();

            assertThat(notModified.get()).isEqualTo(1);
            assertThat(engine.admit(JOB_WITH_8_CPUS).revision()).isEqualTo("r2");
            assertThat(engine.location()).isEqualTo(url);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void closedEngineRefusesToEvaluate() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);
        ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1);
        engine.close();
        engine.close();

        assertThatThrownBy(() -> engine.admit(JOB_WITH_8_CPUS))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy engine is closed");
    }

    @Test
    void promotedBundleDecidesWhileTheSourceStaysAsItWas() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            ReloadingPolicyEngine.Promotion promotion =
                    engine.promote(Files.readAllBytes(build("r2", 16)), "uploaded r2");

            assertThat(promotion.revision()).isEqualTo("r2");
            assertThat(promotion.previousRevision()).isEqualTo("r1");
            assertThat(engine.admit(JOB_WITH_8_CPUS).allowed()).isTrue();
            assertThat(engine.check()).isFalse();
            assertThat(engine.revision()).isEqualTo("r2");
            assertThat(engine.location()).isEqualTo(bundle.toString());
        }
    }

    @Test
    void promotedBytesAppearingInTheSourceAreNoChange() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);
        Path promoted = build("r2", 16);

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            engine.promote(Files.readAllBytes(promoted), "uploaded r2");
            install(promoted, bundle);

            assertThat(engine.check()).isFalse();
            assertThat(engine.revision()).isEqualTo("r2");
        }
    }

    @Test
    void laterChangeOfTheSourceReplacesAPromotedBundle() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            engine.promote(Files.readAllBytes(build("r2", 16)), "uploaded r2");
            install(build("r3", 4), bundle);

            assertThat(engine.check()).isTrue();
            assertThat(engine.revision()).isEqualTo("r3");
            assertThat(engine.admit(JOB_WITH_8_CPUS).allowed()).isFalse();
        }
    }

    @Test
    void bundleFailingItsChecksIsNotPromoted() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);
        Path undefined = build("r2", "package gantry.admission\n\ndecision := {\"allow\": true} if input.never\n",
                PLACEMENT, "{}");

        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1)) {
            assertThatThrownBy(() -> engine.promote(Files.readAllBytes(undefined), "uploaded r2"))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("policy bundle uploaded r2 revision r2 fails its probe");
            assertThatThrownBy(() -> engine.promote("not a bundle".getBytes(), "uploaded garbage"))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("uploaded garbage");

            assertThat(engine.revision()).isEqualTo("r1");
            assertThat(engine.admit(JOB_WITH_8_CPUS).revision()).isEqualTo("r1");
            assertThat(engine.lastRefusal()).isEmpty();
        }
    }

    @Test
    void compiledInBundleWatchesNothingAndCanBePromoted() throws Exception {
        try (ReloadingPolicyEngine engine = ReloadingPolicyEngine.fromClasspath(1)) {
            String compiledIn = engine.revision();

            assertThat(engine.location()).isEqualTo("classpath:" + WasmPolicyEngine.CLASSPATH_BUNDLE);
            assertThat(engine.check()).isFalse();
            assertThat(engine.promote(Files.readAllBytes(build("r2", 4)), "uploaded r2").previousRevision())
                    .isEqualTo(compiledIn);
            assertThat(engine.check()).isFalse();
            assertThat(engine.admit(JOB_WITH_8_CPUS).revision()).isEqualTo("r2");
        }
    }

    @Test
    void closedEngineRefusesToPromote() throws Exception {
        Path bundle = directory.resolve("bundle.tar.gz");
        install(build("r1", 4), bundle);
        ReloadingPolicyEngine engine = ReloadingPolicyEngine.start(bundle.toString(), NEVER, 1);
        engine.close();

        assertThatThrownBy(() -> engine.promote(Files.readAllBytes(bundle), "again"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("policy engine is closed");
    }

    /** Each revision answers one way only: strict denies eight CPUs, lenient admits them. */
    private static void evaluate(ReloadingPolicyEngine engine, ConcurrentLinkedQueue<String> problems) {
        try {
            AdmissionDecision decision = engine.admit(JOB_WITH_8_CPUS);
            boolean consistent = decision.revision().equals("strict")
                    ? !decision.allowed() && decision.reasons().equals(List.of("cpu 8 exceeds 4"))
                    : decision.allowed() && decision.reasons().isEmpty();
            if (!consistent) {
                problems.add("mixed decision " + decision);
            }
        } catch (PolicyException | RuntimeException e) {
            problems.add(e.toString());
        }
    }

    private Path build(String revision, int maxCpu, String... entrypoints) throws Exception {
        String data = "{\"limits\": {\"max_cpu\": " + maxCpu + "}}";
        if (entrypoints.length == 0) {
            return build(revision, ADMISSION, PLACEMENT, data);
        }
        return build(revision, ADMISSION, PLACEMENT, data, entrypoints);
    }

    private Path build(String revision, String admission, String placement, String data, String... entrypoints)
            throws IOException, InterruptedException {
        Path source = Files.createDirectories(directory.resolve("source-" + revision));
        Files.writeString(source.resolve("admission.rego"), admission);
        Files.writeString(source.resolve("placement.rego"), placement);
        Files.writeString(source.resolve("data.json"), data);
        List<String> arguments = new ArrayList<>(List.of("--revision=" + revision));
        if (entrypoints.length == 0) {
            arguments.add("--entrypoint=" + WasmPolicyEngine.ADMISSION_ENTRYPOINT);
            arguments.add("--entrypoint=" + WasmPolicyEngine.PLACEMENT_ENTRYPOINT);
        } else {
            arguments.addAll(List.of(entrypoints));
        }
        Path bundle = directory.resolve(revision + ".tar.gz");
        opa.buildWasm(source, bundle, arguments.toArray(String[]::new));
        return bundle;
    }

    /** Puts a bundle in place by renaming, as an operator should, so no check reads half a file. */
    private static void install(Path built, Path target) throws IOException {
        Path staged = Files.copy(built, target.resolveSibling(target.getFileName() + ".new"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void awaitRevision(ReloadingPolicyEngine engine, String revision) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!engine.revision().equals(revision) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(engine.revision()).isEqualTo(revision);
    }
}
