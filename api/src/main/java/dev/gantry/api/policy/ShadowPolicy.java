package dev.gantry.api.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.jobs.DecisionKind;
import dev.gantry.api.jobs.DecisionRecord;
import dev.gantry.api.jobs.DecisionRepository;
import dev.gantry.api.policy.ShadowCandidate.Comparison;
import dev.gantry.api.policy.ShadowReport.Change;
import dev.gantry.api.policy.ShadowReport.Source;
import dev.gantry.api.web.InvalidRequestException;
import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.bundles.BundleProbe;
import dev.gantry.policy.bundles.ReloadingPolicyEngine;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A candidate policy bundle evaluated in shadow beside the active policy, so an operator sees what
 * it would change before it decides anything.
 *
 * <p>A loaded candidate is compared in two ways, neither of which affects a job. The replay takes
 * the inputs of the most recent stored decisions ({@code gantry.policy.shadow.replay-limit}, 1000
 * by default), newest first, and has both the active policy and the candidate decide each one now.
 * Live comparison evaluates the candidate on the input of every admission decision of a submission
 * and every placement decision the scheduler stores, and compares with the decision the active
 * policy made. A decision counts as changed when its content differs (allow, reasons, default
 * labels; eligible backends in order, rejected backends, reasons to wait), never its revision,
 * input digest or timing, and when the candidate cannot decide, as it would then fail closed.
 *
 * <p>All evaluation of the candidate runs on two daemon threads of its own: one replays, one
 * compares live decisions from a bounded queue ({@value #LIVE_QUEUE_CAPACITY} waiting); a decision
 * that finds the queue full is counted as skipped, never waited for. Totals count everything; only
 * the most recent {@value #KEPT_CHANGES} changes are kept. The shadow lives in memory: a restart
 * forgets it.
 *
 * <p>Loading, promoting and discarding are serialised; reports and the live hooks are not, and may
 * be called from any thread at any time.
 */
@Singleton
public class ShadowPolicy {

    /** How many changes a report keeps, the most recent ones. */
    static final int KEPT_CHANGES = 500;

    /** How many live decisions may wait for comparison before further ones are skipped. */
    static final int LIVE_QUEUE_CAPACITY = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ShadowPolicy.class);
    private static final int CANDIDATE_INSTANCES = 2;
    private static final int REPLAY_PAGE = 100;

    private final PolicyEngine active;
    private final DecisionRepository decisions;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final int replayLimit;
    private final ExecutorService replays;
    private final ThreadPoolExecutor live;
    private volatile ShadowCandidate current;

    public ShadowPolicy(
            PolicyEngine active,
            DecisionRepository decisions,
            ObjectMapper mapper,
            Clock clock,
            @Value("${gantry.policy.shadow.replay-limit:1000}") int replayLimit) {
        if (replayLimit < 0) {
            throw new IllegalArgumentException("gantry.policy.shadow.replay-limit must be 0 or more, got "
                    + replayLimit);
        }
        this.active = active;
        this.decisions = decisions;
        this.mapper = mapper;
        this.clock = clock;
        this.replayLimit = replayLimit;
        this.replays = Executors.newSingleThreadExecutor(daemon("policy-shadow-replay"));
        this.live = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(LIVE_QUEUE_CAPACITY), daemon("policy-shadow-live"));
    }

    /**
     * Loads {@code bundle} as the candidate, after the same load and probe checks a reload passes,
     * replacing and closing any earlier candidate, and starts replaying stored decisions in the
     * background. Called from request threads; blocks while the bundle is loaded and probed.
     *
     * @return the new candidate's report, before any comparison
     * @throws InvalidRequestException when the body is empty
     * @throws CandidateRefusedException when the bundle does not load or fails a probe; an earlier
     *     candidate then stays
     */
    public synchronized ShadowReport load(byte[] bundle) {
        if (bundle == null || bundle.length == 0) {
            throw InvalidRequestException.of("body",
                    "is empty; send the bundle built with opa build -t wasm as application/gzip");
        }
        String digest = sha256(bundle);
        String origin = "shadow upload sha256:" + digest.substring(0, 12);
        ShadowCandidate fresh = new ShadowCandidate(
                probe(bundle, digest, origin), bundle, digest, origin, clock.instant(), KEPT_CHANGES);
        ShadowCandidate replaced = current;
        current = fresh;
        if (replaced != null) {
            replaced.close();
        }
        replays.execute(() -> replay(fresh));
        LoggingEventBuilder loaded = LOG.atInfo().addKeyValue("revision", fresh.revision())
                .addKeyValue("bundleDigest", digest).addKeyValue("activeRevision", active.revision())
                .addKeyValue("replayLimit", replayLimit);
        if (replaced != null) {
            loaded = loaded.addKeyValue("replacedRevision", replaced.revision());
        }
        loaded.log("policy shadow candidate loaded");
        return fresh.report(active.revision(), KEPT_CHANGES);
    }

    /**
     * The report on the candidate, with at most {@code limit} of its most recent changes; empty when
     * no candidate is loaded. Never blocks on evaluation.
     */
    public Optional<ShadowReport> report(int limit) {
        ShadowCandidate candidate = current;
        if (candidate == null) {
            return Optional.empty();
        }
        return Optional.of(candidate.report(active.revision(), limit));
    }

    /**
     * Makes the candidate the active policy and clears the shadow. Only the embedded engine can take
     * a promoted bundle; it stays in force until the watched bundle changes or the control plane
     * restarts. Blocks while the bundle is loaded into the active engine.
     *
     * @param expectedRevision the candidate revision the caller reviewed
     * @throws ShadowNotFoundException when no candidate is loaded
     * @throws InvalidRequestException when {@code expectedRevision} is missing
     * @throws PromotionConflictException when {@code expectedRevision} is not the candidate's, or the
     *     active policy is an OPA server's
     * @throws CandidateRefusedException when the active engine refuses the bundle; the shadow then stays
     */
    public synchronized PromotionView promote(String expectedRevision) {
        ShadowCandidate candidate = current;
        if (candidate == null) {
            throw new ShadowNotFoundException();
        }
        if (expectedRevision == null || expectedRevision.isBlank()) {
            throw InvalidRequestException.of("expectedRevision",
                    "is required: the candidate revision you reviewed, as the report names it");
        }
        if (!(active instanceof ReloadingPolicyEngine engine)) {
            throw new PromotionConflictException(candidate.revision(), "the active policy is decided by an OPA"
                    + " server; publish the candidate bundle to the OPA server to make it active");
        }
        if (!candidate.revision().equals(expectedRevision)) {
            throw new PromotionConflictException(candidate.revision(), "expectedRevision '" + expectedRevision
                    + "' is not the candidate's revision '" + candidate.revision() + "'; read the report again");
        }
        ReloadingPolicyEngine.Promotion promotion;
        try {
            promotion = engine.promote(candidate.bundle(), candidate.origin());
        } catch (PolicyException e) {
            throw new CandidateRefusedException(candidate.revision(), "candidate revision " + candidate.revision()
                    + " could not be promoted: " + e.getMessage(), e);
        }
        current = null;
        candidate.close();
        LOG.atInfo().addKeyValue("revision", promotion.revision())
                .addKeyValue("previousRevision", promotion.previousRevision())
                .addKeyValue("liveChanged", candidate.live().changed())
                .addKeyValue("replayChanged", candidate.replay().changed())
                .log("policy shadow candidate promoted");
        return new PromotionView(promotion.revision(), promotion.previousRevision(), clock.instant());
    }

    /**
     * Discards the candidate; comparisons under way on it are dropped.
     *
     * @throws ShadowNotFoundException when no candidate is loaded
     */
    public synchronized void discard() {
        ShadowCandidate candidate = current;
        if (candidate == null) {
            throw new ShadowNotFoundException();
        }
        current = null;
        candidate.close();
        LOG.atInfo().addKeyValue("revision", candidate.revision())
                .addKeyValue("liveCompared", candidate.live().compared())
                .addKeyValue("liveChanged", candidate.live().changed())
                .addKeyValue("replayChanged", candidate.replay().changed())
                .log("policy shadow candidate discarded");
    }

    /**
     * Compares the candidate, if any, with an admission decision just made for a submission, allowed
     * or denied. Called on the request thread right after the active policy decided; returns at once,
     * never throws, and changes nothing about the submission. Dry runs are not passed here.
     *
     * @param input the admission input the decision was made from, as JSON
     */
    public void afterAdmission(String input, AdmissionDecision decision) {
        ShadowCandidate candidate = current;
        if (candidate == null) {
            return;
        }
        Occasion occasion = new Occasion(Source.LIVE, null, null);
        compareLive(candidate, () -> compareAdmission(candidate, occasion, input, decision));
    }

    /**
     * Compares the candidate, if any, with a placement decision the scheduler stores for a job: one
     * that placed an attempt, or one that gave a new reason to wait. Called on the scheduler thread,
     * possibly inside the transaction that stores the decision; returns at once, never throws, and
     * changes nothing about the job. Should that transaction fail, the comparison still counts.
     *
     * @param input the placement input the decision was made from, as JSON
     */
    public void afterPlacement(String jobId, String input, PlacementDecision decision) {
        ShadowCandidate candidate = current;
        if (candidate == null) {
            return;
        }
        Occasion occasion = new Occasion(Source.LIVE, jobId, null);
        compareLive(candidate, () -> comparePlacement(candidate, occasion, input, decision));
    }

    /** Stops the shadow's threads and closes the candidate; called once when the control plane stops. */
    @PreDestroy
    void close() {
        ShadowCandidate candidate = current;
        if (candidate != null) {
            // Closed first, so the replay stops at its next page and queued comparisons are dropped.
            candidate.close();
        }
        // Not shutdownNow: an interrupt during a database read would close the embedded database's files.
        replays.shutdown();
        live.shutdown();
        try {
            if (!replays.awaitTermination(10, TimeUnit.SECONDS) || !live.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.atWarn().log("policy shadow threads still busy at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private WasmPolicyEngine probe(byte[] bundle, String digest, String origin) {
        try {
            return BundleProbe.load(bundle, origin, CANDIDATE_INSTANCES);
        } catch (PolicyException e) {
            String revision = BundleProbe.revisionOf(bundle, origin);
            LoggingEventBuilder refused = LOG.atWarn().addKeyValue("revision", revision)
                    .addKeyValue("bundleDigest", digest).addKeyValue("reason", e.getMessage());
            ShadowCandidate kept = current;
            if (kept != null) {
                refused = refused.addKeyValue("keptRevision", kept.revision());
            }
            refused.log("policy shadow candidate refused");
            throw new CandidateRefusedException(revision, e.getMessage(), e);
        }
    }

    private void compareLive(ShadowCandidate candidate, Supplier<Comparison> comparison) {
        try {
            live.execute(() -> compareNow(candidate, comparison));
        } catch (RejectedExecutionException e) {
            // The queue is full (or the control plane is stopping): the shadow falls behind, never the caller.
            candidate.liveSkipped();
        }
    }

    private static void compareNow(ShadowCandidate candidate, Supplier<Comparison> comparison) {
        // A candidate replaced or discarded while this waited is no longer reported on.
        if (candidate.isClosed()) {
            return;
        }
        try {
            candidate.liveCompared(comparison.get());
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("revision", candidate.revision()).setCause(e)
                    .log("policy shadow comparison failed");
        }
    }

    /**
     * Replays the most recent stored decisions and reports how it went. Runs on the replay thread,
     * which is never interrupted: an interrupt would close the embedded database's files.
     */
    private void replay(ShadowCandidate candidate) {
        try {
            replayStored(candidate);
        } catch (RuntimeException e) {
            candidate.replayFailed(clock.instant(), "stored decisions could not be replayed: " + e.getMessage());
            LOG.atWarn().addKeyValue("revision", candidate.revision()).setCause(e).log("policy shadow replay failed");
            return;
        }
        if (candidate.isClosed()) {
            return;
        }
        candidate.replayFinished(clock.instant());
        ShadowReport.Replay replay = candidate.replay();
        LOG.atInfo().addKeyValue("revision", candidate.revision()).addKeyValue("replayed", replay.replayed())
                .addKeyValue("changed", replay.changed())
                .addKeyValue("candidateFailures", replay.candidateFailures())
                .addKeyValue("activeFailures", replay.activeFailures()).log("policy shadow replay finished");
    }

    /** Walks back through the stored decisions, newest first, a page at a time, until done or closed. */
    private void replayStored(ShadowCandidate candidate) {
        int total = (int) Math.min(replayLimit, decisions.countWithInput());
        candidate.replayPlanned(total);
        int done = 0;
        long before = Long.MAX_VALUE;
        while (done < total && !candidate.isClosed()) {
            List<DecisionRecord> page = decisions.findWithInputBefore(before, Math.min(REPLAY_PAGE, total - done));
            if (page.isEmpty()) {
                return;
            }
            for (DecisionRecord record : page) {
                candidate.replayed(replayOne(candidate, record));
            }
            done += page.size();
            before = page.get(page.size() - 1).id();
        }
    }

    /** Both policies on one stored input; null when the active policy cannot decide it now. */
    private Comparison replayOne(ShadowCandidate candidate, DecisionRecord record) {
        Occasion occasion = new Occasion(Source.REPLAY, record.jobId(), record.revision());
        String input = record.input();
        try {
            return switch (record.kind()) {
                case ADMISSION -> compareAdmission(candidate, occasion, input, active.admit(input));
                case PLACEMENT -> comparePlacement(candidate, occasion, input, active.place(input));
            };
        } catch (PolicyException e) {
            LOG.atDebug().addKeyValue("decisionId", record.id()).addKeyValue("reason", e.getMessage())
                    .log("policy shadow replay skipped a decision the active policy cannot make");
            return null;
        }
    }

    private Comparison compareAdmission(
            ShadowCandidate candidate, Occasion occasion, String input, AdmissionDecision decision) {
        JsonNode activeView = mapper.valueToTree(EvaluationView.Admission.of(decision));
        AdmissionDecision shadow;
        try {
            shadow = candidate.engine().admit(input);
        } catch (PolicyException e) {
            return failed(candidate, occasion, DecisionKind.ADMISSION, input, decision.inputDigest(), activeView, e);
        }
        if (DecisionComparison.same(decision, shadow)) {
            return Comparison.SAME;
        }
        JsonNode candidateView = mapper.valueToTree(EvaluationView.Admission.of(shadow));
        candidate.record(change(occasion, DecisionKind.ADMISSION, input, decision.inputDigest(), activeView,
                candidateView, null));
        return new Comparison(true, null);
    }

    private Comparison comparePlacement(
            ShadowCandidate candidate, Occasion occasion, String input, PlacementDecision decision) {
        JsonNode activeView = mapper.valueToTree(EvaluationView.Placement.of(decision));
        PlacementDecision shadow;
        try {
            shadow = candidate.engine().place(input);
        } catch (PolicyException e) {
            return failed(candidate, occasion, DecisionKind.PLACEMENT, input, decision.inputDigest(), activeView, e);
        }
        if (DecisionComparison.same(decision, shadow)) {
            return Comparison.SAME;
        }
        JsonNode candidateView = mapper.valueToTree(EvaluationView.Placement.of(shadow));
        candidate.record(change(occasion, DecisionKind.PLACEMENT, input, decision.inputDigest(), activeView,
                candidateView, null));
        return new Comparison(true, null);
    }

    private Comparison failed(
            ShadowCandidate candidate, Occasion occasion, DecisionKind kind, String input, String inputDigest,
            JsonNode activeView, PolicyException e) {
        candidate.record(change(occasion, kind, input, inputDigest, activeView, null, e.getMessage()));
        return new Comparison(true, e.getMessage());
    }

    private Change change(
            Occasion occasion, DecisionKind kind, String input, String inputDigest, JsonNode activeView,
            JsonNode candidateView, String candidateError) {
        return new Change(occasion.source(), kind, occasion.jobId(), tenantOf(input), inputDigest, clock.instant(),
                occasion.storedRevision(), activeView, candidateView, candidateError);
    }

    /** The job's tenant as the input names it; null when the input has none. */
    private String tenantOf(String input) {
        try {
            JsonNode tenant = mapper.readTree(input).path("job").path("tenant");
            return tenant.isTextual() ? tenant.asText() : null;
        } catch (JsonProcessingException e) {
            // The input was just evaluated, so it is JSON; a tenant is only a label on the change.
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Why a comparison is made.
     *
     * @param jobId the job decided about; null for an admission made before the job had an id
     * @param storedRevision the revision of the stored decision being replayed; null for a live one
     */
    private record Occasion(Source source, String jobId, String storedRevision) {
    }
}
