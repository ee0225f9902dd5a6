package dev.gantry.policy.embedded;

import static dev.gantry.policy.embedded.PolicyInputs.admission;
import static dev.gantry.policy.embedded.PolicyInputs.placement;
import static dev.gantry.policy.embedded.PolicyInputs.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.styra.opa.wasm.OpaWasm;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.embedded.internal.TarArchive;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines built from bundles other than the default one, compiled here by the real opa. */
class WasmPolicyEngineBundleTest {

    private static final String ADMISSION = "--entrypoint=" + WasmPolicyEngine.ADMISSION_ENTRYPOINT;
    private static final String PLACEMENT = "--entrypoint=" + WasmPolicyEngine.PLACEMENT_ENTRYPOINT;

    private static final String ADMIT_ALL = """
            package gantry.admission

            decision := {"allow": true, "reasons": []}
            """;
    private static final String PLACE_NOWHERE = """
            package gantry.placement

            decision := {"backends": [], "rejected": []}
            """;

    private final OpaCli opa = OpaCli.locate();

    @TempDir
    Path directory;

    @Test
    void undefinedAdmissionFailsClosed() throws Exception {
        Path bundle = build("""
                package gantry.admission

                decision := {"allow": true, "reasons": []} if input.never
                """, PLACE_NOWHERE, ADMISSION, PLACEMENT);

        try (WasmPolicyEngine engine = WasmPolicyEngine.fromBundle(bundle, 1)) {
            assertThatThrownBy(() -> engine.admit(text(admission())))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage("gantry/admission/decision is undefined for this input");
        }
    }

    @Test
    void undefinedPlacementFailsClosed() throws Exception {
        Path bundle = build(ADMIT_ALL, """
                package gantry.placement

                decision := {"backends": [], "rejected": []} if input.never
                """, ADMISSION, PLACEMENT);

        try (WasmPolicyEngine engine = WasmPolicyEngine.fromBundle(bundle, 1)) {
            assertThatThrownBy(() -> engine.place(text(placement())))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage("gantry/placement/decision is undefined for this input");
        }
    }

    @Test
    void malformedAdmissionFailsClosed() throws Exception {
        Path bundle = build("""
                package gantry.admission

                decision := {"allow": "yes", "reasons": []}
                """, PLACE_NOWHERE, ADMISSION, PLACEMENT);

        try (WasmPolicyEngine engine = WasmPolicyEngine.fromBundle(bundle, 1)) {
            assertThatThrownBy(() -> engine.admit(text(admission())))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage("gantry/admission/decision returned a malformed decision: allow must be a boolean");
        }
    }

    @Test
    void malformedPlacementFailsClosed() throws Exception {
        Path bundle = build(ADMIT_ALL, """
                package gantry.placement

                decision := {"backends": [{"id": 7, "reason": "lucky"}], "rejected": []}
                """, ADMISSION, PLACEMENT);

        try (WasmPolicyEngine engine = WasmPolicyEngine.fromBundle(bundle, 1)) {
            assertThatThrownBy(() -> engine.place(text(placement())))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("returned a malformed decision: backends must be");
        }
    }

    @Test
    void bundleWithoutPlacementEntrypointIsRefused() throws Exception {
        Path bundle = build(ADMIT_ALL, PLACE_NOWHERE, ADMISSION);

        assertThatThrownBy(() -> WasmPolicyEngine.fromBundle(bundle, 1))
                .isInstanceOf(PolicyException.class)
                .hasMessageEndingWith(
                        "has no entrypoint gantry/placement/decision; build it with -e gantry/placement/decision");
    }

    @Test
    void manifestRevisionIsTheEngineRevision() throws Exception {
        Path bundle = build("""
                package gantry.admission

                decision := {"allow": input.job.tenant == "acme", "reasons": []}
                """, PLACE_NOWHERE, ADMISSION, PLACEMENT, "--revision=policies-2025.06.1");

        try (WasmPolicyEngine engine = WasmPolicyEngine.fromBundle(bundle, 1)) {
            assertThat(engine.revision()).isEqualTo("policies-2025.06.1");
            assertThat(engine.admit(text(admission())).revision()).isEqualTo("policies-2025.06.1");
        }
    }

    @Test
    void bundleDataReplacesTheDefaultLimits() throws Exception {
        Path source = Files.createDirectories(directory.resolve("source"));
        Files.copy(Path.of("src/main/rego/gantry/admission.rego"), source.resolve("admission.rego"));
        Files.copy(Path.of("src/main/rego/gantry/text.rego"), source.resolve("text.rego"));
        Files.copy(Path.of("src/main/rego/gantry/tenants.rego"), source.resolve("tenants.rego"));
        Files.writeString(source.resolve("placement.rego"), PLACE_NOWHERE);
        Files.writeString(source.resolve("data.json"), """
                {"gantry": {"limits": {"max_cpu": 2, "max_memory_bytes": 1073741824, "max_gpu": 0,
                  "max_timeout_seconds": 60, "max_attempts": 1}}}
                """);
        Path bundle = directory.resolve("bundle.tar.gz");
        opa.buildWasm(source, bundle, ADMISSION, PLACEMENT);

        try (WasmPolicyEngine engine = WasmPolicyEngine.fromBundle(bundle, 1)) {
            assertThat(engine.admit(text(admission())).reasons()).contains("cpu 4 exceeds the limit of 2 per job");
        }
    }

    @Test
    void fileThatIsNotABundleIsRefused() throws IOException {
        Path notABundle = Files.writeString(directory.resolve("bundle.tar.gz"), "not a bundle");

        assertThatThrownBy(() -> WasmPolicyEngine.fromBundle(notABundle))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("cannot read policy bundle " + notABundle);
    }

    @Test
    void closedEngineRefusesToEvaluate() throws PolicyException {
        WasmPolicyEngine engine = WasmPolicyEngine.fromClasspath(1);
        engine.close();
        engine.close();

        assertThatThrownBy(() -> engine.admit(text(admission())))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("no policy instance available");
    }

    /**
     * A built-in function the WebAssembly compiler leaves to the host would run as the SDK's Java
     * re-implementation, not as OPA; the default policies must not need any.
     */
    @Test
    void shippedPolicyNeedsNoHostBuiltins() throws IOException {
        Map<String, byte[]> files;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(WasmPolicyEngine.CLASSPATH_BUNDLE)) {
            files = TarArchive.readFiles(in);
        }

        OpaWasm wasm = OpaWasm.builder()
                .withInputStream(new ByteArrayInputStream(files.get("policy.wasm")))
                .withMemory(new ByteArrayMemory(new MemoryLimits(10, MemoryLimits.MAX_PAGES)))
                .withJsonMapper(new ObjectMapper())
                .build();

        assertThat(files).containsKeys("policy.wasm", "data.json", ".manifest");
        assertThat(wasm.readString(wasm.exports().builtins())).isEqualTo("{}");
    }

    private Path build(String admissionRego, String placementRego, String... arguments)
            throws IOException, InterruptedException {
        Path source = Files.createDirectories(directory.resolve("source"));
        Files.writeString(source.resolve("admission.rego"), admissionRego);
        Files.writeString(source.resolve("placement.rego"), placementRego);
        Path bundle = directory.resolve("bundle.tar.gz");
        opa.buildWasm(source, bundle, arguments);
        return bundle;
    }
}
