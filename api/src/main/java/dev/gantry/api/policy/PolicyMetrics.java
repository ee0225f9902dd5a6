package dev.gantry.api.policy;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

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

    private final MeterRegistry registry;
    private final Timer admissionTime;
    private final Timer placementTime;

    public PolicyMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.admissionTime = evaluationTimer(ADMISSION);
        this.placementTime = evaluationTimer(PLACEMENT);
        // Registered up front so that a dashboard sees zeros rather than no series before the first failure.
        for (Source source : Source.values()) {
            unavailableCounter(ADMISSION, source);
            unavailableCounter(PLACEMENT, source);
        }
    }

    /** An admission decision was made. */
    public void admitted(AdmissionDecision decision) {
        admissionTime.record(decision.evaluationTime());
        decisionCounter(ADMISSION, decision.allowed() ? "allowed" : "denied").increment();
    }

    /** A placement decision was made. */
    public void placed(PlacementDecision decision) {
        placementTime.record(decision.evaluationTime());
        String outcome;
        if (!decision.waitReasons().isEmpty()) {
            outcome = "held";
        } else if (decision.eligible().isEmpty()) {
            outcome = "none-eligible";
        } else {
            outcome = "eligible";
        }
        decisionCounter(PLACEMENT, outcome).increment();
    }

    /** No admission decision could be made, so the caller failed closed. */
    public void admissionUnavailable(Source source) {
        unavailableCounter(ADMISSION, source).increment();
    }

    /** No placement decision could be made, so the caller failed closed. */
    public void placementUnavailable(Source source) {
        unavailableCounter(PLACEMENT, source).increment();
    }

    private Counter unavailableCounter(String decision, Source source) {
        return Counter.builder("gantry.policy.unavailable")
                .description("Policy calls that failed closed because no decision could be made")
                .tag("decision", decision)
                .tag("source", source.tag)
                .register(registry);
    }

    private Counter decisionCounter(String decision, String outcome) {
        return Counter.builder("gantry.policy.decisions")
                .description("Policy decisions made, by outcome")
                .tag("decision", decision)
                .tag("outcome", outcome)
                .register(registry);
    }

    private Timer evaluationTimer(String decision) {
        return Timer.builder("gantry.policy.evaluation")
                .description("Time to evaluate one policy decision")
                .tag("decision", decision)
                .publishPercentileHistogram()
                .register(registry);
    }
}
