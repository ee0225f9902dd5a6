package dev.gantry.api.policy;

import dev.gantry.api.policy.ShadowReport.Change;
import dev.gantry.api.policy.ShadowReport.ReplayState;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One candidate bundle in shadow: its engine, its bytes (kept for promotion) and what comparing it
 * with the active policy has found so far. Counters are updated from the shadow's replay and live
 * threads and read from request threads; each is exact on its own, a report is not one snapshot.
 */
final class ShadowCandidate implements AutoCloseable {

    private final WasmPolicyEngine engine;
    private final byte[] bundle;
    private final String bundleDigest;
    private final String origin;
    private final Instant loadedAt;
    private final ShadowChanges changes;

    private volatile ReplayState replayState = ReplayState.RUNNING;
    private volatile int replayTotal;
    private final AtomicInteger replayed = new AtomicInteger();
    private final AtomicInteger replayChanged = new AtomicInteger();
    private final AtomicInteger replayCandidateFailures = new AtomicInteger();
    private final AtomicInteger replayActiveFailures = new AtomicInteger();
    private volatile Instant replayFinishedAt;
    private volatile String replayError;

    private final AtomicLong liveCompared = new AtomicLong();
    private final AtomicLong liveChanged = new AtomicLong();
    private final AtomicLong liveFailed = new AtomicLong();
    private final AtomicLong liveSkipped = new AtomicLong();

    private volatile boolean closed;

    ShadowCandidate(
            WasmPolicyEngine engine, byte[] bundle, String bundleDigest, String origin, Instant loadedAt,
            int keptChanges) {
        this.engine = engine;
        this.bundle = bundle.clone();
        this.bundleDigest = bundleDigest;
        this.origin = origin;
        this.loadedAt = loadedAt;
        this.changes = new ShadowChanges(keptChanges);
    }

    WasmPolicyEngine engine() {
        return engine;
    }

    String revision() {
        return engine.revision();
    }

    /** The uploaded bytes; not to be changed. */
    byte[] bundle() {
        return bundle;
    }

    String origin() {
        return origin;
    }

    /** Whether it was discarded, replaced or promoted: its work stops and its results are not read. */
    boolean isClosed() {
        return closed;
    }

    void replayPlanned(int total) {
        replayTotal = total;
    }

    /** Counts one stored input replayed; {@code comparison} is null when the active policy failed on it. */
    void replayed(Comparison comparison) {
        replayed.incrementAndGet();
        if (comparison == null) {
            replayActiveFailures.incrementAndGet();
            return;
        }
        if (comparison.changed()) {
            replayChanged.incrementAndGet();
        }
        if (comparison.failed()) {
            replayCandidateFailures.incrementAndGet();
        }
    }

    void replayFinished(Instant at) {
        replayFinishedAt = at;
        replayState = ReplayState.DONE;
    }

    void replayFailed(Instant at, String error) {
        replayError = error;
        replayFinishedAt = at;
        replayState = ReplayState.FAILED;
    }

    void liveCompared(Comparison comparison) {
        liveCompared.incrementAndGet();
        if (comparison.changed()) {
            liveChanged.incrementAndGet();
        }
        if (comparison.failed()) {
            liveFailed.incrementAndGet();
        }
    }

    void liveSkipped() {
        liveSkipped.incrementAndGet();
    }

    void record(Change change) {
        changes.add(change);
    }

    ShadowReport report(String activeRevision, int limit) {
        return new ShadowReport(revision(), bundleDigest, activeRevision, loadedAt, replay(), live(),
                changes.newest(limit));
    }

    ShadowReport.Replay replay() {
        return new ShadowReport.Replay(
                replayState, replayTotal, replayed.get(), replayChanged.get(), replayCandidateFailures.get(),
                replayActiveFailures.get(), replayFinishedAt, replayError);
    }

    ShadowReport.Live live() {
        return new ShadowReport.Live(liveCompared.get(), liveChanged.get(), liveFailed.get(), liveSkipped.get());
    }

    /** Stops its work and closes its engine; evaluations already running on it finish. Idempotent. */
    @Override
    public void close() {
        closed = true;
        engine.close();
    }

    /**
     * The candidate's decision on one input beside the active policy's.
     *
     * @param changed whether the candidate decides differently, or could not decide
     * @param candidateError why the candidate could not decide; null when it decided
     */
    record Comparison(boolean changed, String candidateError) {

        static final Comparison SAME = new Comparison(false, null);

        boolean failed() {
            return candidateError != null;
        }
    }
}
