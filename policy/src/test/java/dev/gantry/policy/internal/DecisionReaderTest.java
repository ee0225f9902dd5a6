package dev.gantry.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.internal.DecisionReader.Provenance;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionReaderTest {

    private static final String ADMISSION = "gantry/admission/decision";
    private static final String PLACEMENT = "gantry/placement/decision";
    private static final Provenance PROVENANCE = new Provenance("r1", "digest", Duration.ofMillis(1));

    @Test
    void admissionWithoutDefaultsHasNone() throws PolicyException {
        AdmissionDecision decision = DecisionReader.admission(ADMISSION, """
                [{"result": {"allow": true, "reasons": []}}]""", PROVENANCE);

        assertThat(decision.defaults()).isEqualTo(AdmissionDecision.Defaults.NONE);
    }

    @Test
    void admissionDefaultLabelsAreRead() throws PolicyException {
        AdmissionDecision decision = DecisionReader.admission(ADMISSION, """
                [{"result": {"allow": true, "reasons": [], "defaults": {"labels": {"cost-centre": "cc-1"}}}}]""",
                PROVENANCE);

        assertThat(decision.defaults().labels()).isEqualTo(Map.of("cost-centre", "cc-1"));
    }

    @Test
    void defaultLabelsAJobCouldNotCarryMakeTheDecisionMalformed() {
        assertThatThrownBy(() -> DecisionReader.admission(ADMISSION, """
                [{"result": {"allow": true, "reasons": [], "defaults": {"labels": {"bad name!": "v"}}}}]""",
                PROVENANCE)).isInstanceOf(PolicyException.class).hasMessageContaining("'bad name!'");
        String longValue = "x".repeat(257);
        assertThatThrownBy(() -> DecisionReader.admission(ADMISSION,
                "[{\"result\": {\"allow\": true, \"reasons\": [], \"defaults\": {\"labels\": {\"ok\": \""
                        + longValue + "\"}}}}]", PROVENANCE))
                .isInstanceOf(PolicyException.class).hasMessageContaining("defaults.labels.ok");
        assertThatThrownBy(() -> DecisionReader.admission(ADMISSION, """
                [{"result": {"allow": true, "reasons": [], "defaults": {"priority": 3}}}]""", PROVENANCE))
                .isInstanceOf(PolicyException.class).hasMessageContaining("unknown field 'priority'");
    }

    @Test
    void placementWaitIsOptionalAndMustBeStrings() throws PolicyException {
        PlacementDecision without = DecisionReader.placement(PLACEMENT, """
                [{"result": {"backends": [], "rejected": []}}]""", PROVENANCE);
        PlacementDecision held = DecisionReader.placement(PLACEMENT, """
                [{"result": {"backends": [], "rejected": [], "wait": ["quota"]}}]""", PROVENANCE);

        assertThat(without.waitReasons()).isEmpty();
        assertThat(held.waitReasons()).containsExactly("quota");
        assertThatThrownBy(() -> DecisionReader.placement(PLACEMENT, """
                [{"result": {"backends": [], "rejected": [], "wait": [1]}}]""", PROVENANCE))
                .isInstanceOf(PolicyException.class).hasMessageContaining("wait must be an array of strings");
    }

    @Test
    void revisionsAreShortSingleLines() throws PolicyException {
        assertThat(Revisions.check("v1.2.3", "test")).isEqualTo("v1.2.3");
        assertThatThrownBy(() -> Revisions.check("r".repeat(257), "bundle b"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("257 characters");
        assertThatThrownBy(() -> Revisions.check("two\nlines", "bundle b"))
                .isInstanceOf(PolicyException.class).hasMessageContaining("control character");
    }
}
