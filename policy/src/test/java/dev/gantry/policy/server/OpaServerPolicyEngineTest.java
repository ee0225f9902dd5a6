package dev.gantry.policy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PlacementDecision.BackendChoice;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.internal.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine against a stub Data API on loopback, for what a real OPA server does not do on demand:
 * error statuses, stalls, bundle revisions. Agreement with real OPA is in {@link
 * OpaServerConformanceTest}.
 */
class OpaServerPolicyEngineTest {

    private static final String INPUT = "{\"job\":{\"tenant\":\"acme\"}}";
    private static final String ALLOWED = "{\"result\":{\"allow\":true,\"reasons\":[]}}";

    private final BlockingQueue<HttpExchange> requests = new LinkedBlockingQueue<>();
    private final CountDownLatch releaseStalled = new CountDownLatch(1);
    private HttpServer stub;
    private volatile int status = 200;
    private volatile String body = ALLOWED;
    private volatile boolean stall;

    @BeforeEach
    void startStub() throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", this::answer);
        stub.start();
    }

    @AfterEach
    void stopStub() {
        releaseStalled.countDown();
        stub.stop(0);
    }

    @Test
    void admissionIsAskedOfTheDataApiWithTheInput() throws Exception {
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            AdmissionDecision decision = engine.admit(INPUT);

            HttpExchange request = requests.take();
            assertThat(decision.allowed()).isTrue();
            assertThat(request.getRequestMethod()).isEqualTo("POST");
            assertThat(request.getRequestURI().getPath()).isEqualTo("/v1/data/gantry/admission/decision");
            assertThat(request.getAttribute("body")).isEqualTo("{\"input\":" + INPUT + "}");
        }
    }

    @Test
    void placementIsReadInOrder() throws Exception {
        body = "{\"result\":{\"backends\":[{\"id\":\"b\",\"reason\":\"first\"},{\"id\":\"a\",\"reason\":\"second\"}],"
                + "\"rejected\":[{\"id\":\"c\",\"reason\":\"too small\"}]}}";
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            PlacementDecision decision = engine.place(INPUT);

            assertThat(requests.take().getRequestURI().getPath()).isEqualTo("/v1/data/gantry/placement/decision");
            assertThat(decision.eligible())
                    .containsExactly(new BackendChoice("b", "first"), new BackendChoice("a", "second"));
            assertThat(decision.rejected()).containsExactly(new BackendChoice("c", "too small"));
        }
    }

    @Test
    void bearerTokenIsSentInTheAuthorizationHeader() throws Exception {
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()).withBearerToken("s3cret"))) {
            engine.admit(INPUT);

            assertThat(requests.take().getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer s3cret");
        }
    }

    @Test
    void undefinedDecisionFailsClosed() {
        body = "{}";
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            assertThatThrownBy(() -> engine.admit(INPUT))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("gantry/admission/decision is undefined")
                    .hasMessageContaining(stubUrl().toString());
        }
    }

    @Test
    void errorStatusFailsClosedNamingUrlAndOpaError() {
        status = 500;
        body = "{\"code\":\"internal_error\",\"message\":\"eval_conflict_error\"}";
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            assertThatThrownBy(() -> engine.place(INPUT))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining(stubUrl() + "/v1/data/gantry/placement/decision")
                    .hasMessageContaining("HTTP 500: internal_error");
        }
    }

    @Test
    void malformedDecisionFailsClosed() {
        body = "{\"result\":{\"allow\":\"yes\",\"reasons\":[]}}";
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            assertThatThrownBy(() -> engine.admit(INPUT))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining("malformed decision");
        }
    }

    @Test
    void stalledServerTimesOut() {
        stall = true;
        OpaServerConfiguration configuration = OpaServerConfiguration.of(stubUrl())
                .withTimeouts(Duration.ofSeconds(1), Duration.ofMillis(200));
        try (OpaServerPolicyEngine engine = engine(configuration)) {
            assertThatThrownBy(() -> engine.admit(INPUT))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining(stubUrl().toString())
                    .hasMessageContaining("did not answer");
        }
    }

    @Test
    void refusedConnectionFailsClosed() {
        stub.stop(0);
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            assertThatThrownBy(() -> engine.admit(INPUT))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining(stubUrl().toString());
        }
    }

    @Test
    void inputThatIsNotAnObjectIsRefusedWithoutAsking() {
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            assertThatThrownBy(() -> engine.admit("[1, 2]"))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage("admission input is not a JSON object");
            assertThat(requests).isEmpty();
        }
    }

    @Test
    void decisionRecordsDigestAndTime() throws Exception {
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            AdmissionDecision decision = engine.admit(INPUT);

            assertThat(decision.inputDigest()).isEqualTo(Digests.sha256Hex(INPUT));
            assertThat(decision.evaluationTime()).isPositive();
        }
    }

    @Test
    void revisionIsOpaServerWhenNoBundleIsReported() throws Exception {
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            AdmissionDecision decision = engine.admit(INPUT);

            assertThat(decision.revision()).isEqualTo(OpaServerPolicyEngine.UNVERSIONED);
            assertThat(engine.revision()).isEqualTo(OpaServerPolicyEngine.UNVERSIONED);
        }
    }

    @Test
    void revisionIsTheBundleRevisionOpaReports() throws Exception {
        body = "{\"provenance\":{\"version\":\"1.22.4\",\"bundles\":{\"gantry\":{\"revision\":\"r42\"}}},"
                + "\"result\":{\"allow\":true,\"reasons\":[]}}";
        try (OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()))) {
            AdmissionDecision decision = engine.admit(INPUT);

            assertThat(requests.take().getRequestURI().getQuery()).isEqualTo("provenance=true");
            assertThat(decision.revision()).isEqualTo("r42");
            assertThat(engine.revision()).isEqualTo("r42");
        }
    }

    @Test
    void closedEngineRefusesCalls() {
        OpaServerPolicyEngine engine = engine(OpaServerConfiguration.of(stubUrl()));

        engine.close();
        engine.close();

        assertThatThrownBy(() -> engine.admit(INPUT))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("is closed");
    }

    private static OpaServerPolicyEngine engine(OpaServerConfiguration configuration) {
        return new OpaServerPolicyEngine(configuration);
    }

    private URI stubUrl() {
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        exchange.setAttribute("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(exchange);
        if (stall) {
            awaitRelease();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void awaitRelease() {
        try {
            releaseStalled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
