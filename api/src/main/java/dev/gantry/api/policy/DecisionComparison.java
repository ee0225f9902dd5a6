package dev.gantry.api.policy;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import java.util.HashSet;

/**
 * Whether two policies decided the same, by what they decided: where they came from (revision,
 * input digest) and how long they took never count.
 */
final class DecisionComparison {

    private DecisionComparison() {
    }

    /** Same allow or deny, the same reasons in the same order, and the same default labels. */
    static boolean same(AdmissionDecision one, AdmissionDecision other) {
        return one.allowed() == other.allowed()
                && one.reasons().equals(other.reasons())
                && one.defaults().labels().equals(other.defaults().labels());
    }

    /**
     * The same eligible backends in the same order (the ranking matters) with the same reasons, the
     * same rejected backends with the same reasons in any order, and the same reasons to wait.
     */
    static boolean same(PlacementDecision one, PlacementDecision other) {
        return one.eligible().equals(other.eligible())
                && new HashSet<>(one.rejected()).equals(new HashSet<>(other.rejected()))
                && one.waitReasons().equals(other.waitReasons());
    }
}
