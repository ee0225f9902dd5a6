package dev.gantry.api.policy;

import dev.gantry.api.jobs.JobService;
import dev.gantry.api.jobs.JobSpec;
import dev.gantry.api.jobs.PolicyUnavailableException;
import dev.gantry.api.jobs.TenantUsage;
import dev.gantry.api.jobs.Waiting;
import dev.gantry.api.policy.EvaluationView.Outcome;
import dev.gantry.api.scheduling.Placement;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.spi.Backend;
import dev.gantry.spi.Resources;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates admission and placement policy for a job descriptor as a submission would, against
 * the backends' capacity now, without storing or running anything. Called concurrently from
 * request threads; blocks on capacity reads and policy evaluation. Each call is independent, so
 * the answer may differ from a submission made a moment later, when capacity or the tenant's usage
 * has changed.
 */
@Singleton
public class PolicyEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEvaluation.class);

    private final PolicyEngine policy;
    private final PolicyInputs inputs;
    private final Placement placement;
    private final JobService jobs;
    private final PolicyMetrics metrics;

    public PolicyEvaluation(
            PolicyEngine policy, PolicyInputs inputs, Placement placement, JobService jobs, PolicyMetrics metrics) {
        this.policy = policy;
        this.metrics = metrics;
        this.inputs = inputs;
        this.placement = placement;
        this.jobs = jobs;
    }

    /**
     * What policy decides about {@code spec} now, and where it would run or why it would wait.
     * Placement is asked only when admission allows the job.
     *
     * @throws PolicyUnavailableException when admission or placement policy cannot decide
     */
    public EvaluationView evaluate(JobSpec spec) {
        TenantUsage usage = jobs.usageOf(spec.tenant());
        AdmissionDecision admission = admit(spec, usage);
        LOG.atDebug().addKeyValue("tenant", spec.tenant()).addKeyValue("allowed", admission.allowed())
                .addKeyValue("revision", admission.revision()).addKeyValue("inputDigest", admission.inputDigest())
                .log("policy dry run");
        if (!admission.allowed()) {
            return new EvaluationView(
                    EvaluationView.Admission.of(admission), null, null, null, null, Outcome.DENIED);
        }
        JobSpec admitted = jobs.withDefaults(spec, admission, PolicyMetrics.Source.DRY_RUN);
        return withPlacement(
                EvaluationView.Admission.of(admission), place(admitted, usage), Placement.requestOf(admitted));
    }

    private AdmissionDecision admit(JobSpec spec, TenantUsage usage) {
        try {
            AdmissionDecision decision = policy.admit(inputs.admission(spec, usage));
            metrics.admitted(decision, PolicyMetrics.Source.DRY_RUN);
            return decision;
        } catch (PolicyException e) {
            metrics.admissionUnavailable(PolicyMetrics.Source.DRY_RUN);
            throw new PolicyUnavailableException("no admission decision could be made: " + e.getMessage(), e);
        }
    }

    private Placement.Result place(JobSpec spec, TenantUsage usage) {
        try {
            Placement.Result placed = placement.place(spec, usage);
            metrics.placed(placed.decision(), PolicyMetrics.Source.DRY_RUN);
            return placed;
        } catch (PolicyException e) {
            metrics.placementUnavailable(PolicyMetrics.Source.DRY_RUN);
            throw new PolicyUnavailableException("no placement decision could be made: " + e.getMessage(), e);
        }
    }

    private static EvaluationView withPlacement(
            EvaluationView.Admission admission, Placement.Result placed, Resources request) {
        var placementView = EvaluationView.Placement.of(placed.decision());
        if (placed.decision().eligible().isEmpty()) {
            return new EvaluationView(admission, placementView, null, null, null, Outcome.UNPLACEABLE);
        }
        Optional<Backend> chosen = placed.firstWithRoom(request);
        if (chosen.isEmpty()) {
            Waiting waiting = placed.waiting(request);
            return new EvaluationView(
                    admission, placementView, null, waiting.reason(), waiting, Outcome.WOULD_WAIT);
        }
        return new EvaluationView(
                admission, placementView, chosen.get().describe().id(), null, null, Outcome.WOULD_RUN);
    }
}
