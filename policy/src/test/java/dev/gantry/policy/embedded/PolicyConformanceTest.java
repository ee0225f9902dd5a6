package dev.gantry.policy.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PlacementDecision.BackendChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the shipped WebAssembly decides like the Rego it was compiled from: every input of the
 * corpus in {@code src/test/resources/conformance} is decided by the embedded engine and by the real
 * {@code opa eval} on {@code src/main/rego}, and the decisions must be identical. A new input is a
 * new JSON file in the {@code admission} or {@code placement} folder.
 */
class PolicyConformanceTest {

    private static final Path REGO = Path.of("src/main/rego");
    private static final Path CORPUS = Path.of("src/test/resources/conformance");
    private static final int MINIMUM_CORPUS_SIZE = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static OpaCli opa;
    private static WasmPolicyEngine engine;

    @BeforeAll
    static void start() throws Exception {
        opa = OpaCli.locate();
        engine = WasmPolicyEngine.fromClasspath();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void corpusIsLargeEnoughToMeanSomething() throws IOException {
        assertThat(Stream.concat(inputs("admission"), inputs("placement")))
                .hasSizeGreaterThanOrEqualTo(MINIMUM_CORPUS_SIZE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("admissionInputs")
    void admissionMatchesOpa(Path input) throws Exception {
        AdmissionDecision decision = engine.admit(Files.readString(input));

        JsonNode expected = opa.eval(REGO, input, "data.gantry.admission.decision");

        assertThat(asJson(decision)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placementInputs")
    void placementMatchesOpa(Path input) throws Exception {
        PlacementDecision decision = engine.place(Files.readString(input));

        JsonNode expected = opa.eval(REGO, input, "data.gantry.placement.decision");

        assertThat(asJson(decision)).isEqualTo(expected);
    }

    static Stream<Path> admissionInputs() throws IOException {
        return inputs("admission");
    }

    static Stream<Path> placementInputs() throws IOException {
        return inputs("placement");
    }

    private static Stream<Path> inputs(String kind) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(kind))) {
            List<Path> inputs = files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
            return inputs.stream();
        }
    }

    private static JsonNode asJson(AdmissionDecision decision) {
        ObjectNode json = JSON.createObjectNode();
        json.put("allow", decision.allowed());
        ArrayNode reasons = json.putArray("reasons");
        decision.reasons().forEach(reasons::add);
        ObjectNode labels = json.putObject("defaults").putObject("labels");
        decision.defaults().labels().forEach(labels::put);
        return json;
    }

    private static JsonNode asJson(PlacementDecision decision) {
        ObjectNode json = JSON.createObjectNode();
        json.set("backends", asJson(decision.eligible()));
        json.set("rejected", asJson(decision.rejected()));
        ArrayNode wait = json.putArray("wait");
        decision.waitReasons().forEach(wait::add);
        return json;
    }

    private static ArrayNode asJson(List<BackendChoice> choices) {
        ArrayNode array = JSON.createArrayNode();
        for (BackendChoice choice : choices) {
            array.addObject().put("id", choice.backendId()).put("reason", choice.reason());
        }
        return array;
    }
}
