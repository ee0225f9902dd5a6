package dev.gantry.policy.embedded;

import static dev.gantry.policy.embedded.PolicyInputs.GIB;
import static dev.gantry.policy.embedded.PolicyInputs.admission;
import static dev.gantry.policy.embedded.PolicyInputs.backend;
import static dev.gantry.policy.embedded.PolicyInputs.parse;
import static dev.gantry.policy.embedded.PolicyInputs.placement;
import static dev.gantry.policy.embedded.PolicyInputs.text;
import static dev.gantry.policy.embedded.PolicyInputs.with;
import static dev.gantry.policy.embedded.PolicyInputs.without;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PlacementDecision.BackendChoice;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.internal.Digests;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WasmPolicyEngineTest {

    private static WasmPolicyEngine engine;

    @BeforeAll
    static void loadDefaultPolicies() throws PolicyException {
        engine = WasmPolicyEngine.fromClasspath();
    }

    @AfterAll
    static void closeEngine() {
        engine.close();
    }

    @Test
    void validJobIsAllowed() throws PolicyException {
        AdmissionDecision decision = engine.admit(text(admission()));

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.reasons()).isEmpty();
    }

    @Test
    void jobAskingFor512CpusIsDeniedNamingCpu() throws PolicyException {
        String input = text(with(admission(), "/job/resources/cpu", 512));

        AdmissionDecision decision = engine.admit(input);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reasons()).containsExactly("cpu 512 exceeds the limit of 64 per job");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /job/tenant | "" | tenant is required
            /job/tenant | "  " | tenant is required
            /job/tenant | "beta" | tenant 'beta' does not match the caller's tenant 'acme'
            /job/resources/cpu | 0 | cpu must be greater than 0, got 0
            /job/resources/cpu | -0.5 | cpu must be greater than 0, got -0.5
            /job/resources/cpu | "4" | cpu must be a number
            /job/resources/cpu | 64.5 | cpu 64.5 exceeds the limit of 64 per job
            /job/resources/memoryBytes | -1 | memoryBytes must not be negative, got -1
            /job/resources/memoryBytes | 1.5 | memoryBytes must be a whole number of bytes
            /job/resources/gpu | 9 | gpu 9 exceeds the limit of 8 per job
            /job/resources/gpu | -1 | gpu must not be negative, got -1
            /job/resources/gpu | 0.5 | gpu must be a whole number
            /job/timeoutSeconds | 0 | timeoutSeconds must be greater than 0, got 0
            /job/timeoutSeconds | "1h" | timeoutSeconds must be a number
            /job/timeoutSeconds | 86401 | timeout of 86401 seconds exceeds the limit of 86400 seconds (24h) per job
            /job/retry/maxAttempts | 0 | retry.maxAttempts must be at least 1, got 0
            /job/retry/maxAttempts | 11 | retry.maxAttempts 11 exceeds the limit of 10
            /job/retry/maxAttempts | 1.5 | retry.maxAttempts must be a whole number
            """)
    void jobBreakingOneRuleIsDeniedWithItsReason(String pointer, String value, String reason)
            throws PolicyException {
        String input = text(with(admission(), pointer, parse(value)));

        AdmissionDecision decision = engine.admit(input);

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reasons()).containsExactly(reason);
    }

    @Test
    void memoryOverTheLimitIsDeniedInBytesAndGib() throws PolicyException {
        String input = text(with(admission(), "/job/resources/memoryBytes", 300 * GIB));

        AdmissionDecision decision = engine.admit(input);

        assertThat(decision.reasons()).containsExactly(
                "memory of 322122547200 bytes exceeds the limit of 274877906944 bytes (256 GiB) per job");
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource(delimiter = '|', textBlock = """
            /job/tenant | tenant is required
            /job/resources/cpu | cpu is required
            /job/timeoutSeconds | timeoutSeconds is required
            """)
    void jobMissingARequiredFieldIsDenied(String pointer, String reason) throws PolicyException {
        AdmissionDecision decision = engine.admit(text(without(admission(), pointer)));

        assertThat(decision.allowed()).isFalse();
        assertThat(decision.reasons()).containsExactly(reason);
    }

    @Test
    void everyBrokenRuleIsListed() throws PolicyException {
        var input = admission();
        with(input, "/job/resources/cpu", 512);
        with(input, "/job/resources/gpu", 16);
        with(input, "/job/timeoutSeconds", 0);

        AdmissionDecision decision = engine.admit(text(input));

        assertThat(decision.reasons()).containsExactly(
                "cpu 512 exceeds the limit of 64 per job",
                "gpu 16 exceeds the limit of 8 per job",
                "timeoutSeconds must be greater than 0, got 0");
    }

    @Test
    void decisionRecordsDigestRevisionAndTime() throws PolicyException {
        String input = text(admission());

        AdmissionDecision decision = engine.admit(input);

        assertThat(decision.inputDigest()).isEqualTo(Digests.sha256Hex(input)).hasSize(64);
        assertThat(decision.revision()).isEqualTo(engine.revision()).matches("sha256:[0-9a-f]{12}");
        assertThat(decision.evaluationTime()).isPositive();
    }

    @Test
    void tenantDefaultLabelsTheJobLacksAreOffered() throws PolicyException {
        var input = with(admission(), "/job/tenant", "research");
        with(input, "/caller/tenant", "research");
        with(input, "/job/labels", Map.of("retention", "7d"));

        AdmissionDecision decision = engine.admit(text(input));

        assertThat(decision.allowed()).isTrue();
        assertThat(decision.defaults().labels()).containsExactly(Map.entry("cost-centre", "cc-research"));
    }

    @Test
    void tenantAtItsRunningJobsQuotaWaits() throws PolicyException {
        var input = with(placement(backend("k8s")), "/job/tenant", "quota-test");
        with(input, "/usage", Map.of("runningJobs", 1, "queuedJobs", 0, "cpu", 2, "memoryBytes", 0));

        PlacementDecision decision = engine.place(text(input));

        assertThat(decision.waitReasons())
                .containsExactly("tenant 'quota-test' has reached its quota of running jobs (1 running, quota 1)");
        assertThat(decision.eligible()).extracting(BackendChoice::backendId).containsExactly("k8s");
    }

    @Test
    void freeBackendIsRankedBeforeFullOne() throws PolicyException {
        var full = backend("a-full");
        with(full, "/capacity/free", Map.of("cpu", 0, "memoryBytes", 0, "gpu", 0));

        PlacementDecision decision = engine.place(text(placement(full, backend("b-free"))));

        assertThat(decision.eligible()).containsExactly(
                new BackendChoice("b-free", "has free capacity now; tier 'cloud'; no price listed"),
                new BackendChoice(
                        "a-full",
                        "no free capacity now, the job would wait; tier 'cloud'; no price listed"));
        assertThat(decision.rejected()).isEmpty();
    }

    @Test
    void onPremIsRankedBeforeCheaperCloud() throws PolicyException {
        var cloud = with(backend("cloud"), "/price", Map.of("perCpuHour", 0.01, "perGibHour", 0.001));
        var onPrem = with(backend("on-prem"), "/labels", Map.of("tier", "on-prem"));

        PlacementDecision decision = engine.place(text(placement(cloud, onPrem)));

        assertThat(decision.eligible()).extracting(BackendChoice::backendId).containsExactly("on-prem", "cloud");
        assertThat(decision.eligible().get(1).reason()).endsWith("estimated 0.048 per hour");
    }

    @Test
    void gpuJobIsRejectedByBackendsWithoutGpus() throws PolicyException {
        var gpuBackend = with(backend("gpu"), "/capabilities/gpus", true);
        with(gpuBackend, "/capacity/free/gpu", 4);
        with(gpuBackend, "/capacity/total/gpu", 4);
        var input = with(placement(backend("cpu-only"), gpuBackend), "/job/resources/gpu", 2);

        PlacementDecision decision = engine.place(text(input));

        assertThat(decision.eligible()).extracting(BackendChoice::backendId).containsExactly("gpu");
        assertThat(decision.rejected()).containsExactly(new BackendChoice(
                "cpu-only",
                "gpu 2 exceeds the backend's total of 0; the job needs GPUs but the backend has no gpus capability"));
    }

    @Test
    void regionHintRejectsBackendsElsewhere() throws PolicyException {
        var us = with(backend("us"), "/region", "us-east-1");
        var input = with(placement(backend("eu"), us), "/job/placement/region", "us-east-1");

        PlacementDecision decision = engine.place(text(input));

        assertThat(decision.eligible()).extracting(BackendChoice::backendId).containsExactly("us");
        assertThat(decision.rejected()).containsExactly(new BackendChoice(
                "eu", "the backend is in region 'eu-west-1', the job requires region 'us-east-1'"));
    }

    @Test
    void backendTooSmallForTheJobIsRejected() throws PolicyException {
        var small = with(backend("small"), "/capacity/total/memoryBytes", 4 * GIB);

        PlacementDecision decision = engine.place(text(placement(small)));

        assertThat(decision.eligible()).isEmpty();
        assertThat(decision.rejected()).containsExactly(new BackendChoice(
                "small", "memoryBytes 8589934592 exceeds the backend's total of 4294967296"));
    }

    @Test
    void inputThatIsNotJsonIsRefused() {
        assertThatThrownBy(() -> engine.admit("{\"job\": "))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("admission input is not valid JSON");
    }

    @Test
    void inputThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> engine.place("[]"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("placement input is not a JSON object");
    }
}
