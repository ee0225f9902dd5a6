package dev.gantry.policy.bundles;

import static java.util.Objects.requireNonNull;

import dev.gantry.policy.AdmissionDecision;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import dev.gantry.policy.internal.Digests;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded engine: a policy bundle that can be replaced without a restart, either because the
 * watched bundle at a file path or an http(s) URL changed, or because a bundle was promoted with
 * {@link #promote}.
 *
 * <p>{@link #start} loads the bundle or fails, so a control plane never runs without a policy.
 * Afterwards one daemon thread checks the source every interval: the file is read whole, a URL is
 * fetched with {@code If-None-Match} when the server sent an ETag, and the bundle counts as changed
 * when the SHA-256 of its bytes differs from the last one seen. A changed bundle is loaded into a
 * new {@link WasmPolicyEngine} beside the current one and must pass the {@link BundleProbe} checks:
 * it exports both entrypoints, and a probe admission of an ordinary job and a probe placement with
 * no backends both give a defined, well-formed decision. Only then is it swapped in, atomically. A
 * bundle that fails either is refused: the reason is logged at WARN with the location and revision,
 * kept for {@link #lastRefusal()}, and the last good bundle stays in force. The same bytes are not
 * tried again; a new change is. {@link #fromClasspath()} starts from the bundle compiled into this
 * module instead and watches nothing, so only a promotion replaces it.
 *
 * <p>A promoted bundle stays in force until the watched source changes to something else: the bytes
 * the source held at the promotion, and the promoted bytes appearing there later, are not changes.
 * It does not outlive the engine; publishing the same bundle at the watched location makes it last.
 *
 * <p>Every call runs entirely on one engine, so a decision carries the revision of the bundle that
 * made it ({@code .manifest} revision, or a digest of the module when none is set). A replaced
 * engine is closed once the calls still running on it have finished.
 *
 * <p>Write a new bundle by renaming it into place: a check that reads a half-written file refuses
 * it, and the next check loads the finished one.
 */
public final class ReloadingPolicyEngine implements PolicyEngine {

    /** How often the source is checked when no interval is configured. */
    public static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingPolicyEngine.class);

    private final BundleSource source;
    private final int maxInstances;
    private final AtomicReference<Lease> current = new AtomicReference<>();
    private final ScheduledExecutorService checker;
    /** The digest of the last bytes read from the source, or a marker for the last read failure. */
    private volatile String lastDigest;
    /** The digest of the bytes of the bundle in force, whether read from the source or promoted. */
    private volatile String inForceDigest;
    private volatile Refusal lastRefusal;
    private volatile boolean closed;

    private ReloadingPolicyEngine(BundleSource source, int maxInstances) {
        this.source = source;
        this.maxInstances = maxInstances;
        this.checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "policy-bundle-check");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Loads the bundle and starts checking it for changes, with one instance per available processor.
     *
     * @param location a file path, or an {@code http://} or {@code https://} URL
     * @param interval the time between two checks, positive
     * @throws PolicyException when the bundle cannot be read, loaded or fails its checks
     */
    public static ReloadingPolicyEngine start(String location, Duration interval) throws PolicyException {
        return start(location, interval, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Loads the bundle and starts checking it for changes.
     *
     * @param location a file path, or an {@code http://} or {@code https://} URL
     * @param interval the time between two checks, positive
     * @param maxInstances the most evaluations that run at once on one revision, at least 1
     * @throws PolicyException when the bundle cannot be read, loaded or fails its checks
     */
    public static ReloadingPolicyEngine start(String location, Duration interval, int maxInstances)
            throws PolicyException {
        requireNonNull(location, "location");
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        ReloadingPolicyEngine engine = new ReloadingPolicyEngine(BundleSource.of(location), maxInstances);
        try {
            engine.loadFirst();
        } catch (PolicyException e) {
            engine.checker.shutdownNow();
            throw e;
        }
        long millis = interval.toMillis();
        engine.checker.scheduleWithFixedDelay(engine::checkQuietly, millis, millis, TimeUnit.MILLISECONDS);
        return engine;
    }

    /**
     * Loads the bundle compiled into this module, with one instance per available processor, and
     * watches nothing: the bundle changes only when one is {@linkplain #promote promoted}.
     *
     * @throws PolicyException when the bundle is missing from the class path or fails its checks
     */
    public static ReloadingPolicyEngine fromClasspath() throws PolicyException {
        return fromClasspath(Runtime.getRuntime().availableProcessors());
    }

    /**
     * Loads the bundle compiled into this module and watches nothing.
     *
     * @param maxInstances the most evaluations that run at once on one revision, at least 1
     * @throws PolicyException when the bundle is missing from the class path or fails its checks
     */
    public static ReloadingPolicyEngine fromClasspath(int maxInstances) throws PolicyException {
        ReloadingPolicyEngine engine = new ReloadingPolicyEngine(BundleSource.classpath(), maxInstances);
        try {
            engine.loadFirst();
        } catch (PolicyException e) {
            engine.checker.shutdownNow();
            throw e;
        }
        return engine;
    }

    @Override
    public AdmissionDecision admit(String inputJson) throws PolicyException {
        try (Lease lease = acquire()) {
            return lease.engine.admit(inputJson);
        }
    }

    @Override
    public PlacementDecision place(String inputJson) throws PolicyException {
        try (Lease lease = acquire()) {
            return lease.engine.place(inputJson);
        }
    }

    /** The revision of the bundle in force: the one new calls are decided by. */
    @Override
    public String revision() {
        return current.get().engine.revision();
    }

    /**
     * Where the bundle is read from: the path or URL it was started with, or {@code classpath:} and
     * the resource for the compiled-in bundle. A promoted bundle does not change it.
     */
    public String location() {
        return source.location();
    }

    /** The last bundle refused since start, if any, for diagnostics; a later good bundle does not clear it. */
    public Optional<Refusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    /**
     * Checks the source once, now, as the checking thread does every interval; calls are serialised.
     * Blocks while the bundle is read and, when it changed, loaded and probed.
     *
     * @return whether a new bundle was swapped in
     */
    public synchronized boolean check() {
        if (closed) {
            return false;
        }
        byte[] bytes;
        try {
            Optional<byte[]> read = source.read();
            if (read.isEmpty()) {
                return false;
            }
            bytes = read.get();
        } catch (IOException e) {
            refuseUnreadable(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return reloadIfChanged(bytes);
    }

    /**
     * Makes {@code bundle} the one in force, after the same load and probe checks as a reload, and
     * swaps it in atomically: new calls are decided by it, calls running finish on the bundle they
     * started with. Serialised with {@link #check()}; blocks while the bundle is loaded and probed.
     * Afterwards a check that reads the bytes the watched source held at the promotion, or the
     * promoted bytes themselves, changes nothing; any other change of the source replaces the promoted
     * bundle as a reload does.
     *
     * @param bundle the bytes of a {@code .tar.gz} built with {@code opa build -t wasm}
     * @param origin where the bundle came from, for messages and the log
     * @return the revision now in force and the one it replaced
     * @throws PolicyException when the bundle fails its checks, or the engine is closed; the bundle in
     *     force is then unchanged
     */
    public synchronized Promotion promote(byte[] bundle, String origin) throws PolicyException {
        requireNonNull(bundle, "bundle");
        requireNonNull(origin, "origin");
        if (closed) {
            throw new PolicyException("policy engine is closed");
        }
        WasmPolicyEngine fresh = BundleProbe.load(bundle, origin, maxInstances);
        // Only the bookkeeping of what is in force changes: lastDigest still names what the source
        // held, so reading those bytes again is no change, and the promoted bundle stays.
        inForceDigest = Digests.sha256Hex(bundle);
        String previous = swap(fresh);
        LOG.atInfo()
                .addKeyValue("bundle", origin)
                .addKeyValue("revision", fresh.revision())
                .addKeyValue("previousRevision", previous)
                .log("policy bundle promoted");
        return new Promotion(fresh.revision(), previous);
    }

    /** Stops checking and closes the engine in force once the calls running on it finish. */
    @Override
    public void close() {
        closed = true;
        checker.shutdownNow();
        // Waits for a check in progress, so the engine it may have just swapped in is closed too.
        synchronized (this) {
            Lease last = current.get();
            if (last != null && last.retire()) {
                last.close();
            }
        }
    }

    private void loadFirst() throws PolicyException {
        byte[] bytes;
        try {
            bytes = source.read().orElseThrow(() -> new IOException("no bundle"));
        } catch (IOException e) {
            throw new PolicyException("cannot read policy bundle " + source.location() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PolicyException("interrupted while reading policy bundle " + source.location(), e);
        }
        current.set(new Lease(BundleProbe.load(bytes, source.location(), maxInstances)));
        lastDigest = Digests.sha256Hex(bytes);
        inForceDigest = lastDigest;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            // Caught so that one unexpected failure does not cancel every later check.
            LOG.atError().addKeyValue("bundle", source.location()).setCause(e).log("policy bundle check failed");
        }
    }

    private boolean reloadIfChanged(byte[] bytes) {
        String digest = Digests.sha256Hex(bytes);
        if (digest.equals(lastDigest)) {
            return false;
        }
        // Recorded before loading, so a refused bundle is refused and logged once, not on every check.
        lastDigest = digest;
        if (digest.equals(inForceDigest)) {
            // The source now holds the bundle that was promoted: it is already in force.
            return false;
        }
        WasmPolicyEngine fresh;
        try {
            fresh = BundleProbe.load(bytes, source.location(), maxInstances);
        } catch (PolicyException e) {
            refuse(BundleProbe.revisionOf(bytes, source.location()), e.getMessage());
            return false;
        }
        inForceDigest = digest;
        String previous = swap(fresh);
        LOG.atInfo()
                .addKeyValue("bundle", source.location())
                .addKeyValue("revision", fresh.revision())
                .addKeyValue("previousRevision", previous)
                .log("policy bundle reloaded");
        return true;
    }

    private String swap(WasmPolicyEngine fresh) {
        Lease old = current.getAndSet(new Lease(fresh));
        // New calls already see the new engine; the old one closes when its last call returns.
        if (old.retire()) {
            old.close();
        }
        return old.engine.revision();
    }

    private Lease acquire() throws PolicyException {
        while (true) {
            Lease lease = current.get();
            if (lease.tryAcquire()) {
                return lease;
            }
            // The lease was retired between reading it and acquiring it: a new one is in place, unless closed.
            if (closed) {
                throw new PolicyException("policy engine is closed");
            }
        }
    }

    private void refuseUnreadable(IOException e) {
        String reason = "cannot read policy bundle " + source.location() + ": " + e;
        String marker = "unreadable:" + reason;
        if (marker.equals(lastDigest)) {
            return;
        }
        lastDigest = marker;
        refuse("unknown", reason);
    }

    private void refuse(String revision, String reason) {
        lastRefusal = new Refusal(source.location(), revision, reason, Instant.now());
        LOG.atWarn()
                .addKeyValue("bundle", source.location())
                .addKeyValue("revision", revision)
                .addKeyValue("revisionInForce", revision())
                .addKeyValue("reason", reason)
                .log("policy bundle refused");
    }

    /**
     * A bundle that was not swapped in.
     *
     * @param location the path or URL it was read from
     * @param revision its revision, or {@code unknown} when it could not be read as a bundle
     * @param reason why it was refused
     * @param at when it was refused
     */
    public record Refusal(String location, String revision, String reason, Instant at) {
    }

    /**
     * The outcome of a {@linkplain #promote promotion}.
     *
     * @param revision the revision now in force
     * @param previousRevision the revision it replaced
     */
    public record Promotion(String revision, String previousRevision) {
    }

    /**
     * One engine and the number of holders keeping it open: the reloader while it is in force, plus
     * one per call running on it. It is closed when the count drops to zero, and never reopened.
     */
    private static final class Lease implements AutoCloseable {

        private final WasmPolicyEngine engine;
        private final AtomicInteger holders = new AtomicInteger(1);
        private final AtomicBoolean retired = new AtomicBoolean();

        Lease(WasmPolicyEngine engine) {
            this.engine = engine;
        }

        boolean tryAcquire() {
            while (true) {
                int count = holders.get();
                if (count == 0) {
                    return false;
                }
                if (holders.compareAndSet(count, count + 1)) {
                    return true;
                }
            }
        }

        /** Whether this call is the one that takes the reloader's hold away; true once at most. */
        boolean retire() {
            return retired.compareAndSet(false, true);
        }

        @Override
        public void close() {
            if (holders.decrementAndGet() == 0) {
                engine.close();
            }
        }
    }
}
