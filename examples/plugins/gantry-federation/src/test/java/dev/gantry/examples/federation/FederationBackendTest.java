package dev.gantry.examples.federation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.backends.tck.BackendContractTest;
import dev.gantry.backends.tck.Workload;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.Secret;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the backend contract kit against the federation backend forwarding to a real Gantry
 * control plane, started once for the class, plus what is particular to forwarding: what the
 * remote job looks like, how the remote's refusals and absence come back, and how settings are
 * checked. The kit loads the plugin from {@code target/classes} and its runtime dependencies
 * through the real plugin loader.
 */
class FederationBackendTest extends BackendContractTest {

    private static final String TENANT = "tck";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GantryServer remote;

    @BeforeAll
    static void startRemote() throws IOException {
        remote = GantryServer.start("remote", Map.of(
                "gantry.cancel-grace", "1s",
                "gantry.backends.local.kill-grace", "1s",
                "gantry.backends.local.slots", "16",
                "gantry.backends.local.cpu", "16"), null);
    }

    @AfterAll
    static void stopRemote() throws IOException {
        if (remote != null) {
            remote.close();
        }
    }

    @Override
    protected String backendType() {
        return FederationBackend.TYPE;
    }

    @Override
    protected List<Path> pluginPaths() {
        List<Path> paths = new ArrayList<>();
        paths.add(Path.of(System.getProperty("gantry.plugin.classes", "target/classes")));
        Path dependencies = Path.of(System.getProperty("gantry.plugin.dependencies", "target/plugin-dependencies"));
        try (Stream<Path> jars = Files.list(dependencies)) {
            jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(paths::add);
        } catch (IOException e) {
            throw new IllegalStateException("the plugin's dependencies are not in " + dependencies
                    + ": build with Maven, which copies them there", e);
        }
        return paths;
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of(
                FederationSettings.URL, remote.url().toString(),
                FederationSettings.TENANT, TENANT,
                FederationSettings.REQUEST_TIMEOUT, "10s");
    }

    @Override
    protected Duration stateTimeout() {
        return Duration.ofSeconds(60);
    }

    /** The remote runs jobs as local processes, so the workload is a POSIX shell script. */
    @Override
    protected List<String> workloadCommand(Workload workload) {
        List<String> script = new ArrayList<>();
        if (workload.ignoresStopRequest()) {
            script.add("trap '' TERM");
        }
        if (workload.spawnsChild()) {
            script.add("(while :; do echo " + Workload.CHILD_HEARTBEAT + " >&2; sleep 0.1; done) &");
        }
        workload.secretReports().forEach(report -> script.add(secretReport(report)));
        workload.stdoutLines().forEach(line -> script.add("echo " + quoted(line)));
        workload.stderrLines().forEach(line -> script.add("echo " + quoted(line) + " >&2"));
        if (!workload.sleep().isZero()) {
            script.add("sleep " + BigDecimal.valueOf(workload.sleep().toMillis(), 3).toPlainString());
        }
        script.add("exit " + workload.exitCode());
        return List.of("/bin/sh", "-c", String.join("\n", script));
    }

    /**
     * Not run: this backend refuses every secret, {@link Secret.Target#ENV} ones too, because the
     * remote Gantry would store them with the job; {@link #envSecretIsRefusedAndNothingForwarded()}
     * checks the refusal instead.
     */
    /** The remote would store an ENV secret with the job, so this backend refuses them. */
    @Override
    protected boolean placesEnvSecrets() {
        return false;
    }

    @Test
    void envSecretIsRefusedAndNothingForwarded() throws BackendException {
        Secret secret = randomSecret(Secret.Target.ENV);
        LaunchRequest request = withSecrets(request(Workload.exitingWith(0), Duration.ofMinutes(1)), List.of(secret));

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.UNSUPPORTED);
        assertThat(failure.getMessage()).contains("secrets")
                .doesNotContain(secret.value());
        assertThat(remoteJobsOfAttempt(request.attemptId())).isEmpty();
    }

    @Test
    void forwardedJobCarriesItsOriginAndGetsOneAttempt() throws Exception {
        LaunchRequest request = request(Workload.exitingWith(0), Duration.ofMinutes(3));

        RunHandle handle = launch(request);

        JsonNode job = JSON.readTree(remote.get("/v1/jobs/" + handle.reference()).body());
        assertThat(job.path("tenant").asText()).isEqualTo(TENANT);
        assertThat(job.path("labels").path("gantry-federation-source").asText()).isEqualTo(context().id());
        assertThat(job.path("labels").path("gantry-federation-attempt").asText()).isEqualTo(request.attemptId());
        assertThat(job.path("maxAttempts").asInt()).isEqualTo(1);
        assertThat(job.path("spec").path("timeout").asText()).isEqualTo("PT3M");
        assertThat(job.path("spec").path("command")).hasSize(3);
    }

    @Test
    void remoteAdmissionDenialIsBadRequestNamingTheReason() throws BackendException {
        LaunchRequest request = withResources(request(Workload.exitingWith(0), Duration.ofMinutes(1)),
                new Resources(512, 64L << 20, 0));

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("cpu 512 exceeds the limit of 64 per job");
        assertThat(backend().runs()).extracting(RunHandle::attemptId).doesNotContain(request.attemptId());
        assertThat(backend().capacity().freeSlots()).isEqualTo(backend().capacity().totalSlots());
    }

    @Test
    void unreachableRemoteIsUnavailable() throws Exception {
        Map<String, String> settings = Map.of(FederationSettings.URL, "http://127.0.0.1:" + closedPort(),
                FederationSettings.REQUEST_TIMEOUT, "2s");
        Backend unreachable = openBackend(newContext("unreachable", settings));
        LaunchRequest request = request(Workload.exitingWith(0), Duration.ofMinutes(1));

        BackendException launchFailure = failureOf(() -> unreachable.launch(request));
        BackendException statusFailure = failureOf(() -> unreachable.status(new RunHandle("a", "some-job", 1)));

        assertThat(launchFailure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(launchFailure.isRetryable()).isTrue();
        assertThat(statusFailure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(unreachable.capacity().freeSlots()).isEqualTo(FederationSettings.DEFAULT_SLOTS);
    }

    @Test
    void everyBadSettingIsReportedAtOnce() throws Exception {
        Map<String, String> settings = Map.of(
                FederationSettings.URL, "ftp://files.example.com",
                FederationSettings.SLOTS, "0",
                FederationSettings.REQUEST_TIMEOUT, "soon",
                FederationSettings.MEMORY, "lots");
        var invalid = newContext("invalid", settings);

        BackendException failure = failureOf(() -> pluginFactory().create(invalid));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("url 'ftp://files.example.com'", "slots '0'",
                "request-timeout 'soon'", "memory 'lots'");
    }

    private static List<JsonNode> remoteJobsOfAttempt(String attemptId) {
        try {
            JsonNode page = JSON.readTree(remote.get("/v1/jobs?label=gantry-federation-attempt=" + attemptId).body());
            List<JsonNode> jobs = new ArrayList<>();
            page.path("jobs").forEach(jobs::add);
            return jobs;
        } catch (IOException e) {
            throw new IllegalStateException("the remote's job listing is not JSON", e);
        }
    }

    private static String secretReport(Workload.SecretReport report) {
        String name = quoted(report.name());
        String read = report.target() == Secret.Target.ENV
                ? "printenv " + name
                : "cat \"$GANTRY_SECRETS_DIR\"/" + name;
        return "if value=$(" + read + " 2>/dev/null); then printf 'secret %s sha256 %s\\n' " + name
                + " \"$(printf %s \"$value\" | sha256sum | cut -d' ' -f1)\"; else printf 'secret %s missing\\n' "
                + name + "; fi";
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
