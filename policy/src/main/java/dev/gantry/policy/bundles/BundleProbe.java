package dev.gantry.policy.bundles;

import static java.util.Objects.requireNonNull;

import dev.gantry.policy.PolicyException;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import dev.gantry.policy.embedded.internal.WasmBundle;
import java.io.ByteArrayInputStream;

/**
 * The checks a bundle passes before it decides anything: it loads as a WebAssembly bundle exporting
 * both entrypoints, and a probe admission of an ordinary job and a probe placement with no backends
 * both give a defined, well-formed decision (allow or deny does not matter).
 *
 * <p>Used for every bundle that replaces another, whether reloaded from the watched source, promoted,
 * or tried in shadow, so all of them are held to the same standard. Thread-safe: it keeps no state.
 */
public final class BundleProbe {

    private static final String PROBE_JOB = """
            {"name": "probe", "tenant": "gantry-probe", "labels": {}, "command": ["true"], "envNames": [],
             "resources": {"cpu": 1, "memoryBytes": 536870912, "gpu": 0}, "timeoutSeconds": 60,
             "retry": {"maxAttempts": 1}, "placement": {}, "priority": 0}""";
    private static final String PROBE_ADMISSION = "{\"job\": " + PROBE_JOB
            + ", \"caller\": {\"tenant\": \"gantry-probe\", \"subject\": \"gantry\"},"
            + " \"now\": \"2025-01-01T00:00:00Z\"}";
    private static final String PROBE_PLACEMENT = "{\"job\": " + PROBE_JOB + ", \"backends\": []}";

    private BundleProbe() {
    }

    /**
     * A new engine for the bundle, loaded and checked to answer the probes. Blocks while the module is
     * compiled and probed, typically well under a second. The caller owns the engine and closes it.
     *
     * @param bundle the bytes of a {@code .tar.gz} built with {@code opa build -t wasm}
     * @param origin where the bundle came from, for messages and the log
     * @param maxInstances the most evaluations that run at once on the engine, at least 1
     * @throws PolicyException when the bytes are not such a bundle, an entrypoint is missing, or a probe
     *     gets no well-formed decision; nothing is left open then
     */
    public static WasmPolicyEngine load(byte[] bundle, String origin, int maxInstances) throws PolicyException {
        requireNonNull(bundle, "bundle");
        requireNonNull(origin, "origin");
        WasmPolicyEngine engine = WasmPolicyEngine.fromBytes(bundle, origin, maxInstances);
        try {
            engine.admit(PROBE_ADMISSION);
            engine.place(PROBE_PLACEMENT);
            return engine;
        } catch (PolicyException e) {
            engine.close();
            throw new PolicyException("policy bundle " + origin + " revision " + engine.revision()
                    + " fails its probe: " + e.getMessage(), e);
        }
    }

    /**
     * The revision a bundle declares, or of its module when it declares none, for messages about a
     * bundle that did not load; {@code unknown} when the bytes cannot be read as a bundle at all.
     */
    public static String revisionOf(byte[] bundle, String origin) {
        try {
            return WasmBundle.read(new ByteArrayInputStream(bundle), origin).revision();
        } catch (PolicyException e) {
            return "unknown";
        }
    }
}
