package dev.gantry.policy.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.internal.DecisionReader;
import dev.gantry.policy.internal.DecisionReader.Provenance;
import dev.gantry.policy.internal.InputDocuments;
import dev.gantry.policy.internal.Revisions;
import dev.gantry.policy.server.internal.OpaDataApi;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OPA server {@link PolicyEngine}: asks an Open Policy Agent server, a local sidecar or a remote
 * service, through its REST Data API, {@code POST /v1/data/gantry/admission/decision} and {@code
 * POST /v1/data/gantry/placement/decision} with a body of {@code {"input": ...}}.
 *
 * <p>It uses the JDK's {@link java.net.http.HttpClient} rather than the Micronaut HTTP client, so
 * that this module stays plain Java and the control plane and tests use it alike; the control
 * plane creates it from its {@value OpaServerConfiguration#PREFIX} settings.
 *
 * <p>The engine is thread-safe and keeps no state between calls except the last revision seen.
 * Each call blocks for one round trip, at most the connect timeout plus the request timeout. It
 * fails closed: an unreachable server, a timeout, an error status or an undefined decision (a
 * response without {@code result}, as when the server lacks the package) throws {@link
 * PolicyException}, whose message names the URL and the cause. When the server comes back, the
 * next call succeeds; nothing is cached or retried here.
 *
 * <p>A decision's revision is the bundle revision OPA reports with it ({@code ?provenance=true});
 * when the server was started from plain files rather than bundles it reports none, and the
 * revision is {@value #UNVERSIONED}. The evaluation time is the whole round trip as the control
 * plane sees it. Decisions are logged at DEBUG with the input digest and revision, never the input,
 * and the bearer token is never logged.
 */
public final class OpaServerPolicyEngine implements PolicyEngine {

    /** The revision of decisions from a server that reports no bundle revision. */
    public static final String UNVERSIONED = "opa-server";

    /** The Data API path of the admission decision. */
    public static final String ADMISSION_PATH = "gantry/admission/decision";

    /** The Data API path of the placement decision. */
    public static final String PLACEMENT_PATH = "gantry/placement/decision";

    private static final Logger LOG = LoggerFactory.getLogger(OpaServerPolicyEngine.class);

    private final OpaDataApi api;
    private volatile String revision = UNVERSIONED;
    private volatile boolean closed;

    /**
     * Creates an engine for one server. Nothing is sent until the first decision, so the server may
     * start after the engine.
     *
     * @param configuration where the server is and how long to wait for it
     */
    public OpaServerPolicyEngine(OpaServerConfiguration configuration) {
        requireNonNull(configuration, "configuration");
        this.api = new OpaDataApi(
                configuration.url(),
                configuration.bearerToken(),
                configuration.connectTimeout(),
                configuration.requestTimeout());
        LOG.atInfo().addKeyValue("url", api.baseUrl()).log("opa server policy engine created");
    }

    @Override
    public AdmissionDecision admit(String inputJson) throws PolicyException {
        String inputDigest = InputDocuments.digestOfObject(inputJson, "admission");
        Evaluation evaluation = evaluate(ADMISSION_PATH, inputJson, inputDigest);
        AdmissionDecision decision = DecisionReader.admission(
                ADMISSION_PATH,
                evaluation.result(),
                evaluation.provenance());
        LOG.atDebug()
                .addKeyValue("inputDigest", inputDigest)
                .addKeyValue("revision", decision.revision())
                .addKeyValue("allowed", decision.allowed())
                .addKeyValue("reasons", decision.reasons())
                .log("admission decided");
        return decision;
    }

    @Override
    public PlacementDecision place(String inputJson) throws PolicyException {
        String inputDigest = InputDocuments.digestOfObject(inputJson, "placement");
        Evaluation evaluation = evaluate(PLACEMENT_PATH, inputJson, inputDigest);
        PlacementDecision decision = DecisionReader.placement(
                PLACEMENT_PATH,
                evaluation.result(),
                evaluation.provenance());
        LOG.atDebug()
                .addKeyValue("inputDigest", inputDigest)
                .addKeyValue("revision", decision.revision())
                .addKeyValue("eligible", decision.eligible().size())
                .addKeyValue("rejected", decision.rejected().size())
                .log("placement decided");
        return decision;
    }

    /**
     * The bundle revision the server reported with the latest decision, or {@value #UNVERSIONED}
     * before the first decision and when the server reports none. It asks nothing of the server.
     */
    @Override
    public String revision() {
        return revision;
    }

    /** Refuses further calls; they fail with {@link PolicyException}. Calls already sent finish. */
    @Override
    public void close() {
        closed = true;
    }

    private Evaluation evaluate(String path, String inputJson, String inputDigest) throws PolicyException {
        if (closed) {
            throw new PolicyException("policy engine for the OPA server at " + api.baseUrl() + " is closed");
        }
        long start = System.nanoTime();
        OpaDataApi.Answer answer = api.query(path, inputJson);
        Duration evaluationTime = Duration.ofNanos(System.nanoTime() - start);

        String answerRevision = Revisions.check(
                answer.revision().orElse(UNVERSIONED), "the bundle of the OPA server at " + api.baseUrl());
        revision = answerRevision;
        JsonNode result = answer.result().orElseThrow(() -> new PolicyException(
                path + " is undefined for this input on the OPA server at " + api.baseUrl()));
        return new Evaluation(result, new Provenance(answerRevision, inputDigest, evaluationTime));
    }

    private record Evaluation(JsonNode result, Provenance provenance) {
    }
}
