package dev.gantry.api.policy;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Counts policy decisions and the times no decision could be made, for operators' dashboards and
 * alerts. Exported by the Prometheus endpoint as:
 *
 * <ul>
 *   <li>{@code gantry_policy_unavailable_total{decision, source}}: calls that failed closed because
 *       the engine could not decide (down, timed out, undefined or malformed result);
 *   <li>{@code gantry_policy_decisions_total{decision, outcome, source}}: decisions made, by outcome
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

    private static final Duration[] BUCKETS = Stream.of(0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 25.0, 100.0, 1000.0)
            .map(millis -> Duration.ofNanos((long) (millis * 1_000_000)))
            .toArray(Duration[]::new);

    private static final String ADMISSION = "admission";
    private static final String PLACEMENT = "placement";

    private final Timer admissionTime;
    private final Timer placementTime;
    private final Map<Source, Outcomes> outcomes = new EnumMap<>(Source.class);
    private final Map<Source, Counter> admissionUnavailable = new EnumMap<>(Source.class);
    private final Map<Source, Counter> placementUnavailable = new EnumMap<>(Source.class);

    public PolicyMetrics(MeterRegistry registry) {
        this.admissionTime = evaluationTimer(registry, ADMISSION);
        this.placementTime = evaluationTimer(registry, PLACEMENT);
        // Registered up front, so a dashboard sees zeros rather than no series before the first failure.
        for (Source source : Source.values()) {
            outcomes.put(source, new Outcomes(
                    decisionCounter(registry, ADMISSION, "allowed", source),
                    decisionCounter(registry, ADMISSION, "denied", source),
                    decisionCounter(registry, PLACEMENT, "eligible", source),
                    decisionCounter(registry, PLACEMENT, "none-eligible", source),
                    decisionCounter(registry, PLACEMENT, "held", source)));
            admissionUnavailable.put(source, unavailableCounter(registry, ADMISSION, source));
            placementUnavailable.put(source, unavailableCounter(registry, PLACEMENT, source));
        }
    }

    /** An admission decision was made for {@code source}. */
    public void admitted(AdmissionDecision decision, Source source) {
        admissionTime.record(decision.evaluationTime());
        Outcomes counters = outcomes.get(source);
        (decision.allowed() ? counters.allowed() : counters.denied()).increment();
    }

    /** A placement decision was made for {@code source}. */
    public void placed(PlacementDecision decision, Source source) {
        placementTime.record(decision.evaluationTime());
        Outcomes counters = outcomes.get(source);
        if (!decision.waitReasons().isEmpty()) {
            counters.held().increment();
        } else if (decision.eligible().isEmpty()) {
            counters.noneEligible().increment();
        } else {
            counters.eligible().increment();
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

    private static Counter decisionCounter(MeterRegistry registry, String decision, String outcome, Source source) {
        return Counter.builder("gantry.policy.decisions")
                .description("Policy decisions made, by outcome")
                .tag("decision", decision)
                .tag("outcome", outcome)
                .tag("source", source.tag)
                .register(registry);
    }

    private static Timer evaluationTimer(MeterRegistry registry, String decision) {
        return Timer.builder("gantry.policy.evaluation")
                .description("Time to evaluate one policy decision")
                .tag("decision", decision)
                // A few fixed buckets from the embedded engine's tenth of a millisecond to a slow
                // server's second, rather than the dozens a percentile histogram exports.
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }

    /** The decision counters of one source. */
    private record Outcomes(Counter allowed, Counter denied, Counter eligible, Counter noneEligible, Counter held) {
    }
}
