package dev.gantry.policy.embedded;

import static java.util.Objects.requireNonNull;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.embedded.internal.PolicyInstances;
import dev.gantry.policy.embedded.internal.WasmBundle;
import dev.gantry.policy.internal.DecisionReader;
import dev.gantry.policy.internal.DecisionReader.Provenance;
import dev.gantry.policy.internal.InputDocuments;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded {@link PolicyEngine}: a policy bundle compiled to WebAssembly with {@code opa build
 * -t wasm}, evaluated in process by the OPA Java Wasm SDK.
 *
 * <p>{@link #fromClasspath()} runs Gantry's default policies, compiled from {@code
 * policy/src/main/rego} when this module was built. {@link #fromBundle(Path)} runs an operator's
 * bundle instead; it must be built with both entrypoints into one module:
 *
 * <pre>{@code
 * opa build -t wasm -e gantry/admission/decision -e gantry/placement/decision -o bundle.tar.gz policies/
 * }</pre>
 *
 * <p>The engine is thread-safe. It keeps a pool of WebAssembly instances, by default one per
 * available processor, created on first need; a call made while every instance is busy blocks
 * until one is free. An evaluation takes well under a millisecond once an instance exists, but
 * creating an instance compiles the module, which takes longer, so the first calls are slower.
 * Decisions carry the bundle revision, the SHA-256 of the input text and the evaluation time, and
 * are logged at DEBUG with the digest and revision, never the input.
 *
 * <p>The bundle's data is loaded as it was built; changing limits means building a new bundle and
 * creating a new engine, which {@link dev.gantry.policy.bundles.ReloadingPolicyEngine} does when the
 * bundle file changes.
 */
public final class WasmPolicyEngine implements PolicyEngine {

    /** The class path resource holding the bundle compiled at build time. */
    public static final String CLASSPATH_BUNDLE = "dev/gantry/policy/bundle/bundle.tar.gz";

    /** The admission entrypoint every bundle must export. */
    public static final String ADMISSION_ENTRYPOINT = "gantry/admission/decision";

    /** The placement entrypoint every bundle must export. */
    public static final String PLACEMENT_ENTRYPOINT = "gantry/placement/decision";

    private static final Logger LOG = LoggerFactory.getLogger(WasmPolicyEngine.class);

    private final String revision;
    private final PolicyInstances instances;

    private WasmPolicyEngine(WasmBundle bundle, int maxInstances) throws PolicyException {
        this.revision = bundle.revision();
        this.instances = PolicyInstances.create(
                bundle,
                maxInstances,
                Set.of(ADMISSION_ENTRYPOINT, PLACEMENT_ENTRYPOINT));
        LOG.atInfo()
                .addKeyValue("revision", revision)
                .addKeyValue("bundle", bundle.origin())
                .log("policy bundle loaded");
    }

    /**
     * Creates an engine for Gantry's default policies, with one instance per available processor.
     *
     * @throws PolicyException when the bundle is missing from the class path or cannot be loaded
     */
    public static WasmPolicyEngine fromClasspath() throws PolicyException {
        return fromClasspath(defaultMaxInstances());
    }

    /**
     * Creates an engine for Gantry's default policies.
     *
     * @param maxInstances the most evaluations that run at once, at least 1
     * @throws PolicyException when the bundle is missing from the class path or cannot be loaded
     */
    public static WasmPolicyEngine fromClasspath(int maxInstances) throws PolicyException {
        String origin = "classpath:" + CLASSPATH_BUNDLE;
        try (InputStream in = WasmPolicyEngine.class.getClassLoader().getResourceAsStream(CLASSPATH_BUNDLE)) {
            if (in == null) {
                throw new PolicyException("policy bundle not found on the class path: " + CLASSPATH_BUNDLE);
            }
            return new WasmPolicyEngine(WasmBundle.read(in, origin), maxInstances);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy bundle " + origin, e);
        }
    }

    /**
     * Creates an engine for a bundle file, with one instance per available processor.
     *
     * @param bundle a {@code .tar.gz} built with {@code opa build -t wasm} and both entrypoints
     * @throws PolicyException when the file cannot be read, is not such a bundle or lacks an entrypoint
     */
    public static WasmPolicyEngine fromBundle(Path bundle) throws PolicyException {
        return fromBundle(bundle, defaultMaxInstances());
    }

    /**
     * Creates an engine for a bundle file.
     *
     * @param bundle a {@code .tar.gz} built with {@code opa build -t wasm} and both entrypoints
     * @param maxInstances the most evaluations that run at once, at least 1
     * @throws PolicyException when the file cannot be read, is not such a bundle or lacks an entrypoint
     */
    public static WasmPolicyEngine fromBundle(Path bundle, int maxInstances) throws PolicyException {
        requireNonNull(bundle, "bundle");
        try (InputStream in = Files.newInputStream(bundle)) {
            return new WasmPolicyEngine(WasmBundle.read(in, bundle.toString()), maxInstances);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy bundle " + bundle, e);
        }
    }

    /**
     * Creates an engine for a bundle already read into memory, for example fetched over HTTP.
     *
     * @param bundle the bytes of a {@code .tar.gz} built with {@code opa build -t wasm} and both entrypoints
     * @param origin where the bundle came from, for messages and the log
     * @param maxInstances the most evaluations that run at once, at least 1
     * @throws PolicyException when the bytes are not such a bundle or it lacks an entrypoint
     */
    public static WasmPolicyEngine fromBytes(byte[] bundle, String origin, int maxInstances) throws PolicyException {
        requireNonNull(bundle, "bundle");
        requireNonNull(origin, "origin");
        return new WasmPolicyEngine(WasmBundle.read(new ByteArrayInputStream(bundle), origin), maxInstances);
    }

    @Override
    public AdmissionDecision admit(String inputJson) throws PolicyException {
        String inputDigest = InputDocuments.digestOfObject(inputJson, "admission");
        PolicyInstances.Result result = instances.evaluate(ADMISSION_ENTRYPOINT, inputJson);
        AdmissionDecision decision = DecisionReader.admission(
                ADMISSION_ENTRYPOINT,
                result.resultSet(),
                new Provenance(revision, inputDigest, result.evaluationTime()));
        LOG.atDebug()
                .addKeyValue("inputDigest", inputDigest)
                .addKeyValue("revision", revision)
                .addKeyValue("allowed", decision.allowed())
                .addKeyValue("reasons", decision.reasons())
                .log("admission decided");
        return decision;
    }

    @Override
    public PlacementDecision place(String inputJson) throws PolicyException {
        String inputDigest = InputDocuments.digestOfObject(inputJson, "placement");
        PolicyInstances.Result result = instances.evaluate(PLACEMENT_ENTRYPOINT, inputJson);
        PlacementDecision decision = DecisionReader.placement(
                PLACEMENT_ENTRYPOINT,
                result.resultSet(),
                new Provenance(revision, inputDigest, result.evaluationTime()));
        LOG.atDebug()
                .addKeyValue("inputDigest", inputDigest)
                .addKeyValue("revision", revision)
                .addKeyValue("eligible", decision.eligible().size())
                .addKeyValue("rejected", decision.rejected().size())
                .log("placement decided");
        return decision;
    }

    @Override
    public String revision() {
        return revision;
    }

    /** Stops lending instances; calls made afterwards fail with {@link PolicyException}. */
    @Override
    public void close() {
        instances.close();
    }

    private static int defaultMaxInstances() {
        return Runtime.getRuntime().availableProcessors();
    }
}
