package dev.gantry.api.policy;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counts policy decisions and the times no decision could be made, for operators' dashboards and
 * alerts. Exported by the Prometheus endpoint as:
 *
 * <ul>
 *   <li>{@code gantry_policy_unavailable_total{decision, source}}: calls that failed closed because
 *       the engine could not decide (down, timed out, undefined or malformed result);
 *   <li>{@code gantry_policy_decisions_total{decision, outcome}}: decisions made, by outcome
 *       ({@code allowed}/{@code denied} for admission, {@code eligible}/{@code none-eligible}/
 *       {@code held} for placement);
 *   <li>{@code gantry_policy_evaluation_seconds{decision}}: how long evaluations took.
 * </ul>
 *
 * {@code decision} is {@code admission} or {@code placement}; {@code source} is who asked:
 * {@code submission}, {@code scheduler} or {@code dry-run}. Thread-safe.
 */
@Singleton
public class PolicyMetrics {

    /** Who asked for a decision. */
    public enum Source {
        SUBMISSION("submission"),
        SCHEDULER("scheduler"),
        DRY_RUN("dry-run");

        private final String tag;

        Source(String tag) {
            this.tag = tag;
        }
    }

    private static final String ADMISSION = "admission";
    private static final String PLACEMENT = "placement";

    private final Timer admissionTime;
    private final Timer placementTime;
    private final Counter allowed;
    private final Counter denied;
    private final Counter eligible;
    private final Counter noneEligible;
    private final Counter held;
    private final Map<Source, Counter> admissionUnavailable = new EnumMap<>(Source.class);
    private final Map<Source, Counter> placementUnavailable = new EnumMap<>(Source.class);

    public PolicyMetrics(MeterRegistry registry) {
        this.admissionTime = evaluationTimer(registry, ADMISSION);
        this.placementTime = evaluationTimer(registry, PLACEMENT);
        this.allowed = decisionCounter(registry, ADMISSION, "allowed");
        this.denied = decisionCounter(registry, ADMISSION, "denied");
        this.eligible = decisionCounter(registry, PLACEMENT, "eligible");
        this.noneEligible = decisionCounter(registry, PLACEMENT, "none-eligible");
        this.held = decisionCounter(registry, PLACEMENT, "held");
        // Registered up front, so a dashboard sees zeros rather than no series before the first failure.
        for (Source source : Source.values()) {
            admissionUnavailable.put(source, unavailableCounter(registry, ADMISSION, source));
            placementUnavailable.put(source, unavailableCounter(registry, PLACEMENT, source));
        }
    }

    /** An admission decision was made. */
    public void admitted(AdmissionDecision decision) {
        admissionTime.record(decision.evaluationTime());
        (decision.allowed() ? allowed : denied).increment();
    }

    /** A placement decision was made. */
    public void placed(PlacementDecision decision) {
        placementTime.record(decision.evaluationTime());
        if (!decision.waitReasons().isEmpty()) {
            held.increment();
        } else if (decision.eligible().isEmpty()) {
            noneEligible.increment();
        } else {
            eligible.increment();
        }
    }

    /** No admission decision could be made, so the caller failed closed. */
    public void admissionUnavailable(Source source) {
        admissionUnavailable.get(source).increment();
    }

    /** No placement decision could be made, so the caller failed closed. */
    public void placementUnavailable(Source source) {
        placementUnavailable.get(source).increment();
    }

    private static Counter unavailableCounter(MeterRegistry registry, String decision, Source source) {
        return Counter.builder("gantry.policy.unavailable")
                .description("Policy calls that failed closed because no decision could be made")
                .tag("decision", decision)
                .tag("source", source.tag)
                .register(registry);
    }

    private static Counter decisionCounter(MeterRegistry registry, String decision, String outcome) {
        return Counter.builder("gantry.policy.decisions")
                .description("Policy decisions made, by outcome")
                .tag("decision", decision)
                .tag("outcome", outcome)
                .register(registry);
    }

    private static Timer evaluationTimer(MeterRegistry registry, String decision) {
        return Timer.builder("gantry.policy.evaluation")
                .description("Time to evaluate one policy decision")
                .tag("decision", decision)
                .publishPercentileHistogram()
                .register(registry);
    }
}
