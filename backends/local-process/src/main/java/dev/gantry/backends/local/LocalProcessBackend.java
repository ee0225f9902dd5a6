package dev.gantry.backends.local;

import com.sun.jna.ptr.IntByReference;
import dev.gantry.backends.local.LocalProcessConfiguration.CgroupMode;
import dev.gantry.backends.local.internal.Attempt;
import dev.gantry.backends.local.internal.AttemptCgroup;
import dev.gantry.backends.local.internal.AttemptFiles;
import dev.gantry.backends.local.internal.AttemptIds;
import dev.gantry.backends.local.internal.AttemptLocks;
import dev.gantry.backends.local.internal.AttemptRecord;
import dev.gantry.backends.local.internal.BackendCgroup;
import dev.gantry.backends.local.internal.DataDirectoryLock;
import dev.gantry.backends.local.internal.ExitRecord;
import dev.gantry.backends.local.internal.LaunchPlan;
import dev.gantry.backends.local.internal.LaunchPlanner;
import dev.gantry.backends.local.internal.LibC;
import dev.gantry.backends.local.internal.NativeCallException;
import dev.gantry.backends.local.internal.PosixSpawner;
import dev.gantry.backends.local.internal.ProcStat;
import dev.gantry.backends.local.internal.ProcessReaper;
import dev.gantry.backends.local.internal.ResourceLedger;
import dev.gantry.backends.local.internal.StopRequest;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendCapabilities;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendDescriptor;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import dev.gantry.spi.Secret;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs attempts as processes on this host.
 *
 * <p>Each attempt is spawned with {@code posix_spawn} (never a shell, never
 * {@link ProcessBuilder}) as the leader of its own session and process group, in its own
 * directory {@code <data>/runs/<attempt id>}, with the job's environment over a minimal base and
 * its output appended to {@code stdout.log} and {@code stderr.log} there. The directory holds the
 * attempt's {@code run.properties} (pid, start time, deadline, resources, any stop under way) and,
 * once it ends, {@code exit.properties}.
 *
 * <p>Secrets are placed as the request says and kept out of every record and log line.
 * {@link Secret.Target#ENV} secrets join the process's environment, winning over job variables of
 * the same name. {@link Secret.Target#FILE} secrets are written, before the process starts, to
 * {@code secrets/<name>} in the attempt directory (directory {@code 0700}, files {@code 0400}),
 * and the process finds that directory in {@code GANTRY_SECRETS_DIR}. The directory is removed in
 * the same step that records the attempt's end, whether it exited, was cancelled or timed out, and
 * a failed launch removes the whole attempt directory; a backend that opens over a data directory
 * removes what a crash left of the secrets of attempts that had ended.
 *
 * <p>Two threads serve all attempts: the reaper, which learns of every exit through pidfds,
 * collects the exit status of exactly that process and records the end on disk at once; and the
 * timer, which enforces timeouts, forces stops once their grace is over and keeps output within
 * its cap. Stopping signals the whole process group: SIGTERM, then SIGKILL after the grace. When
 * an attempt's main process ends, whatever it left in its process group is killed too.
 *
 * <p>A process that starts a new session of its own ({@code setsid}) leaves the process group, so
 * where the host allows it each attempt is also contained in a cgroup v2 of its own,
 * {@code <cgroup root>/<backend id>/<attempt id>} (see {@link LocalProcessConfiguration#cgroups()}).
 * The SIGKILL step, and the end of the main process, then kill the whole cgroup as well, and the
 * cgroup is removed once it is empty. Such processes get no SIGTERM first, only the SIGKILL. The
 * main process is moved into its cgroup right after it starts, see {@link AttemptCgroup} for the
 * microseconds this leaves open. The cgroups have no controller, so they limit nothing: the
 * resources an attempt asks for are accounted against this backend's capacity, not enforced. Without
 * cgroups a process that calls {@code setsid} escapes the backend and outlives a cancel.
 *
 * <p>Runs outlive the backend: {@link #close()} leaves them running, and a new backend over the
 * same data directory finds them again from their records, checking the start time so that a
 * recycled pid is never mistaken for the attempt. It keeps enforcing their timeouts and can cancel
 * them. When the new backend runs in another JVM it is not their parent, so it sees when they end
 * but not their exit code: such an end is reported {@link RunState#LOST}, or
 * {@link RunState#CANCELLED} or {@link RunState#TIMED_OUT} when it had been asked to stop them.
 * Only one backend instance may use a data directory at a time.
 *
 * @since 0.1
 */
public final class LocalProcessBackend implements Backend {

    /** The factory type of this backend. */
    public static final String TYPE = "local-process";

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessBackend.class);
    private static final BackendCapabilities CAPABILITIES = new BackendCapabilities(
            false, // gpus
            true, // pushesStatus: the reaper sees every exit the moment it happens
            true, // survivesRestart
            false, // scales: a host has what it has
            true); // secretFiles
    private static final Duration LOG_CAP_INTERVAL = Duration.ofSeconds(1);
    private static final long OWN_PID = ProcessHandle.current().pid();
    private static final int CGROUP_REMOVAL_TRIES = 20;
    private static final Duration CGROUP_REMOVAL_PAUSE = Duration.ofMillis(50);

    private final BackendContext context;
    private final LocalProcessConfiguration configuration;
    private final BackendDescriptor descriptor;
    private final DataDirectoryLock dataDirectoryLock;
    private final Optional<BackendCgroup> cgroups;
    private final Path runsDirectory;
    private final LaunchPlanner planner;
    private final PosixSpawner spawner = new PosixSpawner();
    private final ResourceLedger ledger;
    private final AttemptLocks locks = new AttemptLocks();
    private final Map<String, Attempt> liveAttempts = new ConcurrentHashMap<>();
    private final ProcessReaper reaper;
    private final ScheduledThreadPoolExecutor timer;
    private volatile boolean closed;

    private LocalProcessBackend(
            BackendContext context,
            LocalProcessConfiguration configuration,
            DataDirectoryLock dataDirectoryLock,
            Optional<BackendCgroup> cgroups,
            ProcessReaper reaper) {
        this.context = context;
        this.configuration = configuration;
        this.dataDirectoryLock = dataDirectoryLock;
        this.cgroups = cgroups;
        this.reaper = reaper;
        this.descriptor = new BackendDescriptor(
                context.id(),
                TYPE,
                configuration.region(),
                configuration.labels(),
                CAPABILITIES,
                configuration.price());
        this.runsDirectory = context.dataDirectory().resolve("runs");
        this.planner = new LaunchPlanner(runsDirectory);
        this.ledger = new ResourceLedger(
                new Resources(configuration.cpu(), configuration.memoryBytes(), 0), configuration.slots());
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> daemonThread(runnable, "timer"));
        this.timer.setRemoveOnCancelPolicy(true);
    }

    /**
     * Opens a backend over {@code context}'s data directory: sets up its cgroup directory as the
     * configuration asks, takes the data directory's lock, starts the reaper and the timer, and
     * finds again the attempts a previous instance left running. Fails with
     * {@link BackendException.Kind#UNAVAILABLE} when cgroups are required but cannot be used.
     */
    static LocalProcessBackend open(BackendContext context, LocalProcessConfiguration configuration)
            throws BackendException {
        Optional<BackendCgroup> cgroups = openCgroups(context.id(), configuration);
        DataDirectoryLock lock = DataDirectoryLock.acquire(context.dataDirectory());
        ProcessReaper reaper;
        try {
            Files.createDirectories(context.dataDirectory().resolve("runs"));
            reaper = ProcessReaper.start("gantry-local-reaper-" + context.id());
        } catch (IOException e) {
            lock.release();
            throw new BackendException(BackendException.Kind.UNAVAILABLE,
                    "cannot open local-process backend " + context.id() + ": " + e.getMessage(), e);
        }
        LocalProcessBackend backend = new LocalProcessBackend(context, configuration, lock, cgroups, reaper);
        try {
            backend.findRunningAttempts();
        } catch (IOException e) {
            backend.close();
            throw new BackendException(BackendException.Kind.UNAVAILABLE,
                    "cannot read the runs of local-process backend " + context.id() + ": " + e.getMessage(), e);
        }
        backend.scheduleLogCaps();
        return backend;
    }

    private static Optional<BackendCgroup> openCgroups(String backendId, LocalProcessConfiguration configuration)
            throws BackendException {
        if (configuration.cgroups() == CgroupMode.OFF) {
            return Optional.empty();
        }
        try {
            BackendCgroup cgroup = BackendCgroup.open(cgroupRoot(configuration), backendId);
            LOG.info("attempt cgroups in use backend={} directory={}", backendId, cgroup.directory());
            return Optional.of(cgroup);
        } catch (IOException e) {
            if (configuration.cgroups() == CgroupMode.REQUIRED) {
                throw new BackendException(BackendException.Kind.UNAVAILABLE, "local-process backend " + backendId
                        + " requires cgroups, which are unavailable: " + e.getMessage(), e);
            }
            LOG.warn("process containment limited to the process group backend={} reason={}",
                    backendId, e.getMessage());
            return Optional.empty();
        }
    }

    private static Path cgroupRoot(LocalProcessConfiguration configuration) throws IOException {
        if (configuration.cgroupRoot().isPresent()) {
            return configuration.cgroupRoot().get();
        }
        return BackendCgroup.defaultRoot(BackendCgroup.MOUNT_INFO)
                .orElseThrow(() -> new IOException("no cgroup2 file system is mounted"));
    }

    @Override
    public BackendDescriptor describe() {
        return descriptor;
    }

    @Override
    public Capacity capacity() {
        return ledger.capacity();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails with {@link BackendException.Kind#BAD_REQUEST} for an attempt id that is not a safe
     * file name, a working directory outside the attempt directory, a command not found or not
     * executable, resources beyond this backend's total, a secret given twice, or an environment
     * secret that holds a NUL character or is named {@code GANTRY_SECRETS_DIR} beside file
     * secrets; with
     * {@link BackendException.Kind#UNSUPPORTED} for GPUs; with
     * {@link BackendException.Kind#CAPACITY} when the resources or slots are taken now.
     */
    @Override
    public RunHandle launch(LaunchRequest request) throws BackendException {
        ensureOpen();
        LaunchPlanner.checkAttemptId(request.attemptId());
        Attempt attempt;
        ReentrantLock lock = locks.of(request.attemptId());
        lock.lock();
        try {
            // An attempt already held wins over whatever this request says: duplicates are absorbed.
            Optional<Attempt> existing = findLocked(request.attemptId());
            if (existing.isPresent()) {
                LOG.info("duplicate launch absorbed attempt={}", request.attemptId());
                return existing.get().handle();
            }
            attempt = start(request);
        } finally {
            lock.unlock();
        }
        publish(attempt);
        return attempt.handle();
    }

    @Override
    public RunStatus status(RunHandle handle) throws BackendException {
        ensureOpen();
        return find(handle)
                .map(Attempt::status)
                .orElseGet(() -> RunStatus.unknown("backend " + context.id() + " holds no run " + handle.attemptId()));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Sends SIGTERM to the attempt's process group (SIGKILL to the group and the attempt's
     * cgroup at once when {@code grace} is zero or negative), arranges SIGKILL to both for when the
     * grace is over, and returns without waiting. The
     * stop is recorded, so a backend restarted meanwhile still forces it in time.
     */
    @Override
    public void cancel(RunHandle handle, Duration grace) throws BackendException {
        ensureOpen();
        if (grace == null) {
            throw new BackendException(
                    BackendException.Kind.BAD_REQUEST, "grace is required to cancel " + handle.attemptId());
        }
        Attempt attempt = find(handle).orElseThrow(() -> notFound(handle));
        stop(attempt, RunState.CANCELLED, grace.isNegative() ? Duration.ZERO : grace);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Never returns bytes past the cap {@code max-log-bytes}; a stream that outgrew it reports
     * {@code truncated}.
     */
    @Override
    public LogChunk logs(RunHandle handle, LogStream stream, long offset, int maxBytes) throws BackendException {
        ensureOpen();
        if (offset < 0 || maxBytes < 0) {
            throw new BackendException(BackendException.Kind.BAD_REQUEST,
                    "offset and maxBytes must not be negative, were " + offset + " and " + maxBytes);
        }
        Attempt attempt = find(handle).orElseThrow(() -> notFound(handle));
        boolean ended = attempt.hasEnded();
        try {
            return attempt.files().cappedLog(stream, configuration.maxLogBytes()).read(offset, maxBytes, ended);
        } catch (IOException e) {
            throw new BackendException(BackendException.Kind.INTERNAL,
                    "cannot read " + stream + " of attempt " + handle.attemptId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<RunHandle> runs() throws BackendException {
        ensureOpen();
        return liveAttempts.values().stream()
                .filter(attempt -> !attempt.hasEnded())
                .map(Attempt::handle)
                .sorted(Comparator.comparing(RunHandle::attemptId))
                .toList();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Stops the reaper and the timer and releases the data directory; running attempts keep
     * running, and stops under way are finished by the next backend over the same directory.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        reaper.close();
        cgroups.ifPresent(BackendCgroup::removeIfEmpty);
        dataDirectoryLock.release();
        LOG.info("backend closed backend={} liveAttempts={}", context.id(), liveAttempts.size());
    }

    private void checkResources(LaunchRequest request) throws BackendException {
        Resources asked = request.resources();
        if (asked.gpu() > 0) {
            throw new BackendException(BackendException.Kind.UNSUPPORTED,
                    "attempt " + request.attemptId() + " asks for " + asked.gpu() + " GPUs; local-process has none");
        }
        if (!ledger.fitsTotal(asked)) {
            throw new BackendException(BackendException.Kind.BAD_REQUEST, "attempt " + request.attemptId()
                    + " asks for more than backend " + context.id() + " has in total: " + asked
                    + " of " + ledger.capacity().total());
        }
    }

    private Attempt start(LaunchRequest request) throws BackendException {
        checkResources(request);
        LaunchPlan plan = planner.plan(request);
        Resources resources = request.resources();
        if (!ledger.reserve(resources)) {
            throw new BackendException(BackendException.Kind.CAPACITY, "no room for attempt "
                    + plan.request().attemptId() + " on backend " + context.id() + ": " + ledger.capacity());
        }
        try {
            return spawn(plan);
        } catch (BackendException | RuntimeException e) {
            ledger.release(resources);
            throw e;
        }
    }

    private Attempt spawn(LaunchPlan plan) throws BackendException {
        String attemptId = plan.request().attemptId();
        AttemptFiles files = plan.files();
        try {
            files.create(plan.spec().workingDirectory());
        } catch (IOException e) {
            deleteQuietly(files);
            throw new BackendException(BackendException.Kind.INTERNAL,
                    "cannot create the directory of attempt " + attemptId + ": " + e.getMessage(), e);
        }
        placeFileSecrets(plan);
        Optional<AttemptCgroup> cgroup = createCgroup(plan);
        int pid;
        try {
            pid = spawner.spawn(plan.spec());
        } catch (NativeCallException e) {
            cgroup.ifPresent(this::removeCgroup);
            deleteQuietly(files);
            throw spawnFailure(plan, e);
        }
        addToCgroup(plan, cgroup, pid);
        return register(plan, pid, cgroup);
    }

    private static void placeFileSecrets(LaunchPlan plan) throws BackendException {
        List<Secret> fileSecrets = plan.request().secrets().stream()
                .filter(secret -> secret.target() == Secret.Target.FILE)
                .toList();
        if (fileSecrets.isEmpty()) {
            return;
        }
        try {
            plan.files().writeSecrets(fileSecrets);
        } catch (IOException e) {
            // The message of a file system error names the file at most, never what was written.
            deleteQuietly(plan.files());
            throw new BackendException(BackendException.Kind.INTERNAL, "cannot place the file secrets of attempt "
                    + plan.request().attemptId() + ": " + e.getMessage(), e);
        }
    }

    private Optional<AttemptCgroup> createCgroup(LaunchPlan plan) throws BackendException {
        Optional<AttemptCgroup> cgroup = cgroups.map(base -> base.attempt(plan.request().attemptId()));
        if (cgroup.isEmpty()) {
            return cgroup;
        }
        try {
            cgroup.get().create();
            return cgroup;
        } catch (IOException e) {
            deleteQuietly(plan.files());
            throw new BackendException(BackendException.Kind.INTERNAL,
                    "cannot create the cgroup of attempt " + plan.request().attemptId() + ": " + e.getMessage(), e);
        }
    }

    private void addToCgroup(LaunchPlan plan, Optional<AttemptCgroup> cgroup, int pid) throws BackendException {
        if (cgroup.isEmpty()) {
            return;
        }
        try {
            cgroup.get().add(pid);
        } catch (IOException e) {
            abandon(plan, pid, cgroup);
            throw new BackendException(BackendException.Kind.INTERNAL,
                    "cannot move attempt " + plan.request().attemptId() + " into its cgroup: " + e.getMessage(), e);
        }
    }

    private Attempt register(LaunchPlan plan, int pid, Optional<AttemptCgroup> cgroup) throws BackendException {
        LaunchRequest request = plan.request();
        try {
            long startTicks = ProcStat.read(pid).orElseThrow().startTicks();
            AttemptRecord record = new AttemptRecord(request.attemptId(), request.jobId(), request.attempt(), pid,
                    startTicks, context.clock().instant(), request.timeout(), request.resources(), Optional.empty());
            plan.files().writeRecord(record);
            Attempt attempt = Attempt.parented(plan.files(), record, cgroup);
            watch(attempt);
            LOG.info("attempt launched attempt={} job={} pid={} executable={}",
                    request.attemptId(), request.jobId(), pid, plan.spec().executable());
            return attempt;
        } catch (IOException | RuntimeException e) {
            abandon(plan, pid, cgroup);
            throw new BackendException(BackendException.Kind.INTERNAL,
                    "cannot keep track of attempt " + request.attemptId() + ": " + e.getMessage(), e);
        }
    }

    private void watch(Attempt attempt) throws NativeCallException {
        String attemptId = attempt.record().attemptId();
        liveAttempts.put(attemptId, attempt);
        try {
            reaper.watch(attempt.record().pid(), () -> onProcessEnded(attempt));
        } catch (NativeCallException | RuntimeException e) {
            liveAttempts.remove(attemptId, attempt);
            throw e;
        }
        scheduleTimeout(attempt);
    }

    private void abandon(LaunchPlan plan, int pid, Optional<AttemptCgroup> cgroup) {
        // Leaves nothing behind: the group and the cgroup go, the child is reaped, the directories removed.
        LibC.INSTANCE.kill(-pid, LibC.SIGKILL);
        cgroup.ifPresent(AttemptCgroup::kill);
        LibC.INSTANCE.waitpid(pid, new IntByReference(), 0);
        liveAttempts.remove(plan.request().attemptId());
        cgroup.ifPresent(this::removeCgroup);
        deleteQuietly(plan.files());
    }

    private BackendException spawnFailure(LaunchPlan plan, NativeCallException e) {
        String what = "cannot start attempt " + plan.request().attemptId() + " running '"
                + plan.request().command().get(0) + "': " + e.getMessage();
        BackendException.Kind kind = switch (e.errorNumber()) {
            case LibC.ENOENT, LibC.ENOEXEC, LibC.EACCES, LibC.ENOTDIR, LibC.EISDIR -> BackendException.Kind.BAD_REQUEST;
            case LibC.EAGAIN, LibC.ENOMEM, LibC.ENFILE, LibC.EMFILE -> BackendException.Kind.UNAVAILABLE;
            default -> BackendException.Kind.INTERNAL;
        };
        return new BackendException(kind, what, e);
    }

    private void scheduleTimeout(Attempt attempt) {
        AttemptRecord record = attempt.record();
        Duration delay = positive(Duration.between(context.clock().instant(), record.deadline()));
        schedule(attempt, () -> timeOut(attempt), delay);
    }

    private void timeOut(Attempt attempt) {
        stop(attempt, RunState.TIMED_OUT, configuration.killGrace());
    }

    private void stop(Attempt attempt, RunState reason, Duration grace) {
        Optional<StopRequest> stop = attempt.requestStop(reason, grace, context.clock().instant());
        stop.ifPresent(request -> {
            LOG.info("attempt stopping attempt={} reason={} grace={}", attempt.record().attemptId(), reason, grace);
            scheduleKill(attempt, request.killAt());
        });
    }

    private void scheduleKill(Attempt attempt, Instant killAt) {
        Duration delay = positive(Duration.between(context.clock().instant(), killAt));
        schedule(attempt, attempt::forceStop, delay);
    }

    private void schedule(Attempt attempt, Runnable task, Duration delay) {
        Runnable logged = () -> runLoggingFailure(task, attempt);
        try {
            attempt.addTimer(timer.schedule(logged, delay.toNanos(), TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: the deadline and any stop are on disk for the next instance.
            LOG.debug("attempt timer not scheduled on closed backend attempt={}", attempt.record().attemptId());
        }
    }

    private static void runLoggingFailure(Runnable task, Attempt attempt) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // The executor would keep the failure in a future nobody reads.
            LOG.error("attempt timer failed attempt={}", attempt.record().attemptId(), e);
        }
    }

    private void onProcessEnded(Attempt attempt) {
        AttemptRecord record = attempt.record();
        Optional<ExitRecord> end = attempt.finish(context.clock().instant(), () -> {
            ledger.release(record.resources());
            enforceLogCaps(attempt);
        });
        if (end.isEmpty()) {
            return;
        }
        if (attempt.isEndRecorded()) {
            liveAttempts.remove(record.attemptId(), attempt);
        }
        attempt.cgroup().ifPresent(this::removeCgroup);
        ExitRecord exit = end.get();
        LOG.info("attempt exited attempt={} job={} state={} exitCode={} signal={}", record.attemptId(),
                record.jobId(), exit.state(), exitCodeText(exit), exit.signal().orElse("none"));
        publish(attempt);
    }

    private Optional<Attempt> find(RunHandle handle) throws BackendException {
        if (!AttemptIds.isValid(handle.attemptId())) {
            return Optional.empty();
        }
        Attempt live = liveAttempts.get(handle.attemptId());
        Optional<Attempt> attempt;
        if (live != null) {
            attempt = Optional.of(live);
        } else {
            ReentrantLock lock = locks.of(handle.attemptId());
            lock.lock();
            try {
                attempt = findLocked(handle.attemptId());
            } finally {
                lock.unlock();
            }
        }
        return attempt.filter(found -> found.handle().equals(handle));
    }

    private Optional<Attempt> findLocked(String attemptId) throws BackendException {
        Attempt live = liveAttempts.get(attemptId);
        if (live != null) {
            return Optional.of(live);
        }
        try {
            return load(new AttemptFiles(runsDirectory.resolve(attemptId)));
        } catch (IOException | RuntimeException e) {
            throw new BackendException(BackendException.Kind.INTERNAL,
                    "cannot read the records of attempt " + attemptId + ": " + e.getMessage(), e);
        }
    }

    private Optional<Attempt> load(AttemptFiles files) throws IOException {
        Optional<AttemptRecord> record = files.readRecord();
        if (record.isEmpty()) {
            return Optional.empty();
        }
        Optional<ExitRecord> exit = files.readExit();
        if (exit.isPresent()) {
            return Optional.of(Attempt.ended(files, record.get(), exit.get()));
        }
        return Optional.of(adopt(files, record.get()));
    }

    private void findRunningAttempts() throws IOException {
        try (DirectoryStream<Path> directories = Files.newDirectoryStream(runsDirectory)) {
            for (Path directory : directories) {
                AttemptFiles files = new AttemptFiles(directory);
                String attemptId = directory.getFileName().toString();
                if (!AttemptIds.isValid(attemptId)) {
                    continue;
                }
                if (files.hasRecord() && !files.hasExit()) {
                    loadFoundAttempt(files, attemptId);
                } else {
                    removeLeftoverSecrets(files, attemptId);
                    removeLeftoverCgroup(attemptId);
                }
            }
        }
    }

    private static void removeLeftoverSecrets(AttemptFiles files, String attemptId) {
        // The attempt ended, or its launch died, while its secrets were still on disk.
        try {
            files.deleteSecrets();
        } catch (IOException e) {
            LOG.warn("attempt secrets not removed attempt={}", attemptId, e);
        }
    }

    private void removeLeftoverCgroup(String attemptId) {
        // The attempt ended, or its launch died, before its cgroup was removed.
        Optional<AttemptCgroup> cgroup = cgroups.map(base -> base.attempt(attemptId)).filter(AttemptCgroup::exists);
        cgroup.ifPresent(AttemptCgroup::kill);
        cgroup.ifPresent(this::removeCgroup);
    }

    private void loadFoundAttempt(AttemptFiles files, String attemptId) {
        try {
            load(files);
        } catch (IOException | RuntimeException e) {
            // One unreadable record must not keep the backend from serving every other attempt.
            LOG.error("attempt record unreadable attempt={}", attemptId, e);
        }
    }

    private Attempt adopt(AttemptFiles files, AttemptRecord record) throws IOException {
        Optional<ProcStat> stat = ProcStat.read(record.pid())
                .filter(found -> found.startTicks() == record.startTicks());
        boolean parentedHere = stat.map(found -> found.parentPid() == OWN_PID).orElse(false);
        Optional<AttemptCgroup> cgroup = cgroups.map(base -> base.attempt(record.attemptId()));
        Attempt attempt = parentedHere
                ? Attempt.parented(files, record, cgroup)
                : Attempt.foreign(files, record, cgroup);
        ledger.forceReserve(record.resources());
        liveAttempts.put(record.attemptId(), attempt);
        if (stat.isEmpty() || !watchFound(attempt)) {
            onProcessEnded(attempt);
            return attempt;
        }
        scheduleTimeout(attempt);
        record.stop().ifPresent(stop -> scheduleKill(attempt, stop.killAt()));
        LOG.info("attempt found again attempt={} job={} pid={} parentedHere={}",
                record.attemptId(), record.jobId(), record.pid(), parentedHere);
        return attempt;
    }

    private boolean watchFound(Attempt attempt) throws IOException {
        AttemptRecord record = attempt.record();
        try {
            reaper.watch(record.pid(), () -> onProcessEnded(attempt));
        } catch (NativeCallException e) {
            if (e.errorNumber() == LibC.ESRCH) {
                // It ended between reading its stat and opening its pidfd.
                return false;
            }
            liveAttempts.remove(record.attemptId(), attempt);
            ledger.release(record.resources());
            throw e;
        }
        // Read once more now that the pidfd pins the pid, in case it was recycled meanwhile.
        return ProcStat.isSameProcess(record.pid(), record.startTicks());
    }

    private void removeCgroup(AttemptCgroup cgroup) {
        // Tried at once, as the timer is dropped when the backend closes; then again while
        // killed processes take their moment to leave, as the kernel refuses until they have.
        try {
            cgroup.remove();
            LOG.debug("attempt cgroup removed attempt={}", cgroup.attemptId());
        } catch (IOException e) {
            scheduleCgroupRemoval(cgroup, CGROUP_REMOVAL_TRIES, CGROUP_REMOVAL_PAUSE);
        }
    }

    private void scheduleCgroupRemoval(AttemptCgroup cgroup, int triesLeft, Duration delay) {
        try {
            timer.schedule(() -> retryCgroupRemoval(cgroup, triesLeft), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closed meanwhile: the next backend over this data directory removes the cgroup of an
            // attempt whose directory is still there.
            LOG.debug("attempt cgroup removal not scheduled on closed backend attempt={}", cgroup.attemptId());
        }
    }

    private void retryCgroupRemoval(AttemptCgroup cgroup, int triesLeft) {
        ReentrantLock lock = locks.of(cgroup.attemptId());
        lock.lock();
        try {
            // A live attempt owns its cgroup. A new launch of the same attempt id holds this lock
            // while its fresh cgroup is still empty, and holds the attempt live from then on.
            if (liveAttempts.containsKey(cgroup.attemptId())) {
                return;
            }
            cgroup.remove();
            LOG.debug("attempt cgroup removed attempt={}", cgroup.attemptId());
        } catch (IOException e) {
            retryCgroupRemovalLater(cgroup, triesLeft - 1, e);
        } finally {
            lock.unlock();
        }
    }

    private void retryCgroupRemovalLater(AttemptCgroup cgroup, int triesLeft, IOException failure) {
        if (triesLeft > 0) {
            scheduleCgroupRemoval(cgroup, triesLeft, CGROUP_REMOVAL_PAUSE);
            return;
        }
        // An empty cgroup costs the host almost nothing; the run's outcome does not depend on it.
        LOG.debug("attempt cgroup not removed attempt={} directory={}", cgroup.attemptId(), cgroup.directory(),
                failure);
    }

    private void scheduleLogCaps() {
        long interval = LOG_CAP_INTERVAL.toMillis();
        timer.scheduleWithFixedDelay(this::enforceLiveLogCaps, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void enforceLiveLogCaps() {
        try {
            liveAttempts.values().forEach(this::enforceLogCaps);
        } catch (RuntimeException e) {
            // A fixed-delay task that throws is never run again, so nothing may escape it.
            LOG.error("log cap pass failed", e);
        }
    }

    private void enforceLogCaps(Attempt attempt) {
        for (LogStream stream : LogStream.values()) {
            try {
                attempt.files().cappedLog(stream, configuration.maxLogBytes()).enforceCap();
            } catch (IOException e) {
                LOG.warn("attempt log cap not enforced attempt={} stream={}", attempt.record().attemptId(), stream, e);
            }
        }
    }

    private void publish(Attempt attempt) {
        try {
            attempt.report(context.listener());
        } catch (RuntimeException e) {
            // The listener must not throw; if it does, polling still delivers the status.
            LOG.warn("run listener failed attempt={}", attempt.record().attemptId(), e);
        }
    }

    private void ensureOpen() throws BackendException {
        if (closed) {
            throw new BackendException(BackendException.Kind.UNAVAILABLE, "backend " + context.id() + " is closed");
        }
    }

    private BackendException notFound(RunHandle handle) {
        return new BackendException(BackendException.Kind.NOT_FOUND,
                "backend " + context.id() + " holds no run " + handle.attemptId());
    }

    private Thread daemonThread(Runnable runnable, String role) {
        Thread thread = new Thread(runnable, "gantry-local-" + role + "-" + context.id());
        thread.setDaemon(true);
        return thread;
    }

    private static String exitCodeText(ExitRecord exit) {
        return exit.exitCode().isPresent() ? Integer.toString(exit.exitCode().getAsInt()) : "unknown";
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }

    private static void deleteQuietly(AttemptFiles files) {
        try {
            files.delete();
        } catch (IOException e) {
            LOG.warn("attempt directory not removed directory={}", files.directory(), e);
        }
    }
}
