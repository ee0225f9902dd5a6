package dev.gantry.api.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.api.policy.PolicyInputs;
import dev.gantry.api.policy.PolicyMetrics;
import dev.gantry.api.policy.ShadowPolicy;
import dev.gantry.api.scheduling.Placement;
import dev.gantry.api.scheduling.Wakeups;
import dev.gantry.api.web.InvalidRequestException;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import io.micronaut.data.exceptions.DataAccessException;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits, reads and cancels jobs for the REST API.
 *
 * <p>A submission is validated, decided by admission policy, and stored with its first event in one
 * transaction before the caller hears back, so an acknowledged job is never lost. Policy that cannot
 * decide means no admission. Called concurrently from request threads; blocks on the database and
 * on policy evaluation.
 *
 * <p>Quotas are checked against the tenant's live usage, so reading that usage, deciding and
 * storing the job happen under a lock per tenant: two submissions from one tenant cannot both
 * pass a quota check that only one of them fits. The lock lives in this process, so it serialises
 * submissions within one control plane only; several replicas sharing a database would need a
 * database-level guard (a row lock per tenant, say) to keep quotas exact.
 */
@Singleton
public class JobService {

    private static final Logger LOG = LoggerFactory.getLogger(JobService.class);
    private static final int TENANT_LOCK_STRIPES = 64;

    private final JobSpecJson specs;
    private final JobRepository jobs;
    private final AttemptRepository attempts;
    private final JobLifecycle lifecycle;
    private final PolicyEngine policy;
    private final PolicyInputs inputs;
    private final Placement placement;
    private final Wakeups wakeups;
    private final DecisionLog decisionLog;
    private final ShadowPolicy shadow;
    private final PolicyMetrics metrics;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final ReentrantLock[] tenantLocks = new ReentrantLock[TENANT_LOCK_STRIPES];

    public JobService(
            JobSpecJson specs,
            JobRepository jobs,
            AttemptRepository attempts,
            JobLifecycle lifecycle,
            PolicyEngine policy,
            PolicyInputs inputs,
            Placement placement,
            Wakeups wakeups,
            DecisionLog decisionLog,
            ShadowPolicy shadow,
            PolicyMetrics metrics,
            ObjectMapper mapper,
            Clock clock) {
        this.specs = specs;
        this.jobs = jobs;
        this.attempts = attempts;
        this.lifecycle = lifecycle;
        this.policy = policy;
        this.inputs = inputs;
        this.placement = placement;
        this.wakeups = wakeups;
        this.decisionLog = decisionLog;
        this.shadow = shadow;
        this.metrics = metrics;
        this.mapper = mapper;
        this.clock = clock;
        for (int i = 0; i < TENANT_LOCK_STRIPES; i++) {
            tenantLocks[i] = new ReentrantLock();
        }
    }

    /**
     * Admits and stores a job, or returns the job an earlier identical submission with the same
     * idempotency key created.
     *
     * @param body the request body as parsed JSON
     * @param idempotencyKey the client's {@code Idempotency-Key}, or null
     * @throws dev.gantry.api.web.InvalidRequestException when the descriptor is invalid
     * @throws JobDeniedException when admission policy denies the job
     * @throws IdempotencyConflictException when the key was used with a different body
     * @throws JobUnplaceableException when no configured backend could ever run the job
     * @throws PolicyUnavailableException when no admission or placement decision could be made
     */
    public SubmitResult submit(JsonNode body, String idempotencyKey) {
        JobSpec spec = specs.parse(body);
        String specText = specs.toText(spec);
        String digest = TraceIds.sha256(specText);
        Optional<JobRecord> earlier = findEarlier(spec.tenant(), idempotencyKey, digest);
        if (earlier.isPresent()) {
            return new SubmitResult(view(earlier.get()), false);
        }
        SubmitResult result;
        ReentrantLock tenantLock = tenantLocks[Math.floorMod(spec.tenant().hashCode(), TENANT_LOCK_STRIPES)];
        tenantLock.lock();
        try {
            result = admitAndStore(spec, specText, idempotencyKey, digest);
        } finally {
            tenantLock.unlock();
        }
        if (result.created()) {
            wakeups.wakeScheduler();
        }
        return result;
    }

    /** The usage the tenant's quotas are checked against, as the admission input carries it. */
    public TenantUsage usageOf(String tenant) {
        return jobs.usageOf(tenant);
    }

    /** The job with this id, with its attempts and policy decisions. */
    public JobView find(String jobId) {
        return view(jobs.findById(jobId).orElseThrow(() -> new JobNotFoundException(jobId)));
    }

    /** The stored record of a job. */
    public JobRecord record(String jobId) {
        return jobs.findById(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
    }

    /** The attempts of a job, oldest first. */
    public List<AttemptRecord> attemptsOf(String jobId) {
        return attempts.findByJobIdOrderByNumber(jobId);
    }

    /**
     * Cancels a job: at once when it is waiting, through its backend when it is running. Cancelling
     * an ended job changes nothing.
     */
    public JobView cancel(String jobId) {
        lifecycle.requestCancel(jobId).orElseThrow(() -> new JobNotFoundException(jobId));
        wakeups.wakeMonitor();
        return find(jobId);
    }

    /** Shows a stored job, with its attempts and policy decisions when {@code withAttempts}. */
    JobView view(JobRecord job, boolean withAttempts) {
        List<JobView.AttemptView> attemptViews = withAttempts
                ? attempts.findByJobIdOrderByNumber(job.id()).stream().map(JobView.AttemptView::of).toList()
                : List.of();
        List<DecisionView> decisionViews = withAttempts ? decisionLog.viewsOf(job.id()) : List.of();
        JobSpec spec = specs.read(job.spec());
        return new JobView(
                job.id(), job.name(), job.tenant(), job.state(), spec.labels(), job.priority(), job.traceId(),
                job.cancelRequested(), job.waitingReason(), decisionLog.tree(job.waitingDetail()), job.nextRunAt(),
                job.createdAt(), job.updatedAt(), job.attemptCount(), job.maxAttempts(), JobSpecJson.write(spec),
                tree(job.admission()), attemptViews, decisionViews);
    }

    private JobView view(JobRecord job) {
        return view(job, true);
    }

    private Optional<JobRecord> findEarlier(String tenant, String idempotencyKey, String digest) {
        if (idempotencyKey == null) {
            return Optional.empty();
        }
        Optional<JobRecord> earlier = jobs.findByTenantAndIdempotencyKey(tenant, idempotencyKey);
        if (earlier.isPresent() && !earlier.get().requestDigest().equals(digest)) {
            throw new IdempotencyConflictException(idempotencyKey, earlier.get().id());
        }
        return earlier;
    }

    /**
     * Decides and stores the job. The caller holds the tenant's lock, so the usage admission reads
     * is still true when the job is stored.
     */
    private SubmitResult admitAndStore(JobSpec submitted, String submittedText, String idempotencyKey, String digest) {
        TenantUsage usage = jobs.usageOf(submitted.tenant());
        String input = inputs.admission(submitted, usage);
        AdmissionDecision decision = admit(submitted, input);
        JobSpec spec = withDefaults(submitted, decision, PolicyMetrics.Source.SUBMISSION);
        checkPlaceable(spec, usage);
        String specText = spec == submitted ? submittedText : specs.toText(spec);
        JobRecord job = newJob(spec, specText, idempotencyKey, digest, decision);
        try {
            lifecycle.create(job, spec.labels(), "admitted by policy revision " + decision.revision(),
                    decisionLog.admission(job.id(), decision, input));
        } catch (DataAccessException e) {
            // Two submissions with one idempotency key raced (from another control plane, since
            // this one serialises a tenant's submissions); the unique index let one in.
            Optional<JobRecord> winner = findEarlier(spec.tenant(), idempotencyKey, digest);
            if (winner.isPresent()) {
                return new SubmitResult(view(winner.get()), false);
            }
            throw e;
        }
        return new SubmitResult(view(jobs.findById(job.id()).orElseThrow()), true);
    }

    private AdmissionDecision admit(JobSpec spec, String input) {
        AdmissionDecision decision;
        try {
            decision = policy.admit(input);
            metrics.admitted(decision, PolicyMetrics.Source.SUBMISSION);
        } catch (PolicyException e) {
            metrics.admissionUnavailable(PolicyMetrics.Source.SUBMISSION);
            LOG.atError().addKeyValue("tenant", spec.tenant()).setCause(e).log("admission policy unavailable");
            throw new PolicyUnavailableException("no admission decision could be made: " + e.getMessage(), e);
        }
        shadow.afterAdmission(input, decision);
        if (!decision.allowed()) {
            LOG.atInfo().addKeyValue("tenant", spec.tenant()).addKeyValue("revision", decision.revision())
                    .addKeyValue("inputDigest", decision.inputDigest()).log("job denied");
            throw new JobDeniedException(decision);
        }
        return decision;
    }

    /**
     * The admitted job with the labels admission policy supplies for it. Defaults that would make
     * the job invalid are the policy's fault, so no decision is taken to have been made.
     *
     * @param source who asked for the decision, for the count of decisions that could not be made
     * @throws PolicyUnavailableException when the defaults make the job invalid
     */
    public JobSpec withDefaults(JobSpec spec, AdmissionDecision decision, PolicyMetrics.Source source) {
        try {
            return specs.withDefaultLabels(spec, decision.defaults().labels());
        } catch (InvalidRequestException e) {
            // Single labels are checked as the decision is read; this catches what only the whole
            // job shows, such as more labels in all than a job may carry.
            metrics.admissionUnavailable(source);
            String errors = e.errors().stream()
                    .map(error -> error.field() + ": " + error.message())
                    .collect(Collectors.joining("; "));
            LOG.atError().addKeyValue("tenant", spec.tenant()).addKeyValue("revision", decision.revision())
                    .addKeyValue("errors", errors).log("admission policy returned invalid defaults");
            throw new PolicyUnavailableException("admission policy revision " + decision.revision()
                    + " returned default labels the job cannot carry: " + errors, e);
        }
    }

    /**
     * Refuses a job that placement policy rejects on every backend. A job that fits somewhere but
     * not now is accepted and waits; only one that can never run is refused.
     */
    private void checkPlaceable(JobSpec spec, TenantUsage usage) {
        Placement.Result placed;
        try {
            placed = placement.place(spec, usage);
            metrics.placed(placed.decision(), PolicyMetrics.Source.SUBMISSION);
        } catch (PolicyException e) {
            metrics.placementUnavailable(PolicyMetrics.Source.SUBMISSION);
            LOG.atError().addKeyValue("tenant", spec.tenant()).setCause(e).log("placement policy unavailable");
            throw new PolicyUnavailableException("no placement decision could be made: " + e.getMessage(), e);
        }
        if (!placed.decision().eligible().isEmpty()) {
            return;
        }
        List<String> reasons = new ArrayList<>();
        placed.decision().rejected().forEach(choice -> reasons.add(choice.backendId() + ": " + choice.reason()));
        placed.unavailable().forEach(obstacle -> reasons.add(obstacle.backendId() + ": " + obstacle.reason()));
        throw new JobUnplaceableException(reasons.isEmpty() ? List.of("no backend is available") : reasons);
    }

    private JobRecord newJob(
            JobSpec spec, String specText, String idempotencyKey, String digest, AdmissionDecision decision) {
        Instant now = clock.instant();
        return new JobRecord(
                UUID.randomUUID().toString(), spec.tenant(), spec.name(), JobState.PENDING, spec.priority(),
                specText, spec.resources().cpu(), spec.resources().memoryBytes(), idempotencyKey, digest,
                TraceIds.newTraceId(), decisionText(decision), null, null, spec.retry().maxAttempts(), 0, false, null,
                now, now);
    }

    private String decisionText(AdmissionDecision decision) {
        ObjectNode node = mapper.createObjectNode();
        node.put("allowed", decision.allowed());
        node.set("reasons", mapper.valueToTree(decision.reasons()));
        node.set("defaultLabels", mapper.valueToTree(decision.defaults().labels()));
        node.put("revision", decision.revision());
        node.put("inputDigest", decision.inputDigest());
        node.put("evaluationMicros", DecisionLog.micros(decision.evaluationTime()));
        return node.toString();
    }

    private JsonNode tree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored admission decision is not valid JSON", e);
        }
    }
}
