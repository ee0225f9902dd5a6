package dev.gantry.policy.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the two engines decide alike: every input of the conformance corpus is decided by the
 * embedded engine and by a real OPA server serving {@code src/main/rego}, and the decisions must be
 * identical, reasons and backend order included. Together with {@code PolicyConformanceTest},
 * which holds the embedded engine to {@code opa eval}, all three agree.
 */
class OpaServerConformanceTest {

    private static final Path REGO = Path.of("src/main/rego");
    private static final Path CORPUS = Path.of("src/test/resources/conformance");
    private static final int MINIMUM_CORPUS_SIZE = 60;
    private static final int CONCURRENT_CALLERS = 8;

    private static OpaServerProcess server;
    private static WasmPolicyEngine embedded;
    private static OpaServerPolicyEngine remote;

    @BeforeAll
    static void start() throws Exception {
        server = OpaServerProcess.start(REGO);
        embedded = WasmPolicyEngine.fromClasspath();
        remote = new OpaServerPolicyEngine(OpaServerConfiguration.of(server.url()));
    }

    @AfterAll
    static void stop() {
        if (remote != null) {
            remote.close();
        }
        if (embedded != null) {
            embedded.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void corpusIsLargeEnoughToMeanSomething() throws IOException {
        assertThat(Stream.concat(inputs("admission"), inputs("placement")))
                .hasSizeGreaterThanOrEqualTo(MINIMUM_CORPUS_SIZE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("admissionInputs")
    void admissionIsTheSameOnBothEngines(Path input) throws Exception {
        String json = Files.readString(input);

        AdmissionDecision fromServer = remote.admit(json);
        AdmissionDecision fromEmbedded = embedded.admit(json);

        assertThat(fromServer.allowed()).isEqualTo(fromEmbedded.allowed());
        assertThat(fromServer.reasons()).isEqualTo(fromEmbedded.reasons());
        assertThat(fromServer.defaults()).isEqualTo(fromEmbedded.defaults());
        assertThat(fromServer.inputDigest()).isEqualTo(fromEmbedded.inputDigest());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placementInputs")
    void placementIsTheSameOnBothEngines(Path input) throws Exception {
        String json = Files.readString(input);

        PlacementDecision fromServer = remote.place(json);
        PlacementDecision fromEmbedded = embedded.place(json);

        assertThat(fromServer.eligible()).isEqualTo(fromEmbedded.eligible());
        assertThat(fromServer.rejected()).isEqualTo(fromEmbedded.rejected());
        assertThat(fromServer.waitReasons()).isEqualTo(fromEmbedded.waitReasons());
        assertThat(fromServer.inputDigest()).isEqualTo(fromEmbedded.inputDigest());
    }

    @Test
    void concurrentCallsDecideLikeSequentialOnes() throws Exception {
        List<String> inputs = new ArrayList<>();
        for (Path input : placementInputs().toList()) {
            inputs.add(Files.readString(input));
        }
        List<PlacementDecision> expected = new ArrayList<>();
        for (String input : inputs) {
            expected.add(embedded.place(input));
        }

        List<PlacementDecision> actual = placeConcurrently(inputs);

        for (int i = 0; i < inputs.size(); i++) {
            assertThat(actual.get(i).eligible()).isEqualTo(expected.get(i).eligible());
            assertThat(actual.get(i).rejected()).isEqualTo(expected.get(i).rejected());
            assertThat(actual.get(i).waitReasons()).isEqualTo(expected.get(i).waitReasons());
        }
    }

    static Stream<Path> admissionInputs() throws IOException {
        return inputs("admission");
    }

    static Stream<Path> placementInputs() throws IOException {
        return inputs("placement");
    }

    private static List<PlacementDecision> placeConcurrently(List<String> inputs) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONCURRENT_CALLERS);
        try {
            List<Future<PlacementDecision>> futures = new ArrayList<>();
            for (String input : inputs) {
                futures.add(threads.submit(() -> remote.place(input)));
            }
            List<PlacementDecision> decisions = new ArrayList<>();
            for (Future<PlacementDecision> future : futures) {
                decisions.add(future.get(30, TimeUnit.SECONDS));
            }
            return decisions;
        } finally {
            threads.shutdownNow();
        }
    }

    private static Stream<Path> inputs(String kind) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(kind))) {
            List<Path> inputs = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            return inputs.stream();
        }
    }
}
