package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.AdmissionDecision.Defaults;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PlacementDecision.BackendChoice;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionComparisonTest {

    private static final BackendChoice LOCAL = new BackendChoice("local", "fits");
    private static final BackendChoice CLOUD = new BackendChoice("cloud", "fits");
    private static final BackendChoice GPU = new BackendChoice("gpu", "no gpu asked");
    private static final BackendChoice EDGE = new BackendChoice("edge", "wrong region");

    @Test
    void admissionsDifferingOnlyInProvenanceAreTheSame() {
        AdmissionDecision one = admission(false, List.of("cpu too high"), Map.of("team", "a"), "r1", "d1", 5);
        AdmissionDecision other = admission(false, List.of("cpu too high"), Map.of("team", "a"), "r2", "d2", 900);

        assertThat(DecisionComparison.same(one, other)).isTrue();
    }

    @Test
    void admissionsDifferInAllowReasonsOrDefaults() {
        AdmissionDecision base = admission(false, List.of("a", "b"), Map.of("team", "x"), "r", "d", 1);
        AdmissionDecision allowed = admission(true, List.of("a", "b"), Map.of("team", "x"), "r", "d", 1);
        AdmissionDecision reordered = admission(false, List.of("b", "a"), Map.of("team", "x"), "r", "d", 1);
        AdmissionDecision relabelled = admission(false, List.of("a", "b"), Map.of("team", "y"), "r", "d", 1);

        assertThat(DecisionComparison.same(base, allowed)).isFalse();
        assertThat(DecisionComparison.same(base, reordered)).isFalse();
        assertThat(DecisionComparison.same(base, relabelled)).isFalse();
    }

    @Test
    void placementsDifferingOnlyInProvenanceOrRejectedOrderAreTheSame() {
        PlacementDecision one = placement(List.of(LOCAL, CLOUD), List.of(GPU, EDGE), List.of(), "r1", "d1");
        PlacementDecision other = placement(List.of(LOCAL, CLOUD), List.of(EDGE, GPU), List.of(), "r2", "d2");

        assertThat(DecisionComparison.same(one, other)).isTrue();
    }

    @Test
    void placementsDifferInRankingReasonsRejectionsOrWaiting() {
        PlacementDecision base = placement(List.of(LOCAL, CLOUD), List.of(GPU), List.of(), "r", "d");

        assertThat(DecisionComparison.same(base, placement(List.of(CLOUD, LOCAL), List.of(GPU), List.of(), "r", "d")))
                .isFalse();
        assertThat(DecisionComparison.same(base, placement(
                List.of(new BackendChoice("local", "cheapest"), CLOUD), List.of(GPU), List.of(), "r", "d")))
                .isFalse();
        assertThat(DecisionComparison.same(base, placement(List.of(LOCAL, CLOUD), List.of(), List.of(), "r", "d")))
                .isFalse();
        assertThat(DecisionComparison.same(base, placement(
                List.of(LOCAL, CLOUD), List.of(GPU), List.of("quota reached"), "r", "d")))
                .isFalse();
    }

    private static AdmissionDecision admission(
            boolean allowed, List<String> reasons, Map<String, String> labels, String revision, String digest,
            long micros) {
        return new AdmissionDecision(
                allowed, reasons, new Defaults(labels), revision, digest, Duration.ofNanos(micros * 1000));
    }

    private static PlacementDecision placement(
            List<BackendChoice> eligible, List<BackendChoice> rejected, List<String> waitReasons, String revision,
            String digest) {
        return new PlacementDecision(eligible, rejected, waitReasons, revision, digest, Duration.ofMillis(1));
    }
}
