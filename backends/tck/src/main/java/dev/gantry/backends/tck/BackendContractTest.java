package dev.gantry.backends.tck;

import static dev.gantry.backends.tck.ContractRule.CANCEL_ENDS_EVERYTHING;
import static dev.gantry.backends.tck.ContractRule.CANCEL_ENDS_RUN;
import static dev.gantry.backends.tck.ContractRule.CANCEL_FORCES_STUBBORN_RUN;
import static dev.gantry.backends.tck.ContractRule.CANCEL_IS_IDEMPOTENT;
import static dev.gantry.backends.tck.ContractRule.CANCEL_RETURNS_PROMPTLY;
import static dev.gantry.backends.tck.ContractRule.CAPACITY_IS_CONSISTENT;
import static dev.gantry.backends.tck.ContractRule.CLOSE_IS_REPEATABLE;
import static dev.gantry.backends.tck.ContractRule.DESCRIBE_NAMES_CONFIGURED_ID;
import static dev.gantry.backends.tck.ContractRule.DUPLICATE_LAUNCH_IS_ABSORBED;
import static dev.gantry.backends.tck.ContractRule.END_IS_PUSHED;
import static dev.gantry.backends.tck.ContractRule.EXIT_CODE_IS_REPORTED;
import static dev.gantry.backends.tck.ContractRule.FAILED_LAUNCH_LEAVES_NOTHING;
import static dev.gantry.backends.tck.ContractRule.LIVE_LOG_IS_NOT_COMPLETE;
import static dev.gantry.backends.tck.ContractRule.LIVE_RUN_IS_NOT_TERMINAL;
import static dev.gantry.backends.tck.ContractRule.LOG_PAGE_IS_BOUNDED;
import static dev.gantry.backends.tck.ContractRule.OUTPUT_IS_COMPLETE_AND_ORDERED;
import static dev.gantry.backends.tck.ContractRule.RESTART_FINDS_LIVE_RUNS;
import static dev.gantry.backends.tck.ContractRule.RESTART_KEEPS_CONTROL;
import static dev.gantry.backends.tck.ContractRule.RESTART_KEEPS_FINISHED_STATUS;
import static dev.gantry.backends.tck.ContractRule.RUNS_LISTS_LIVE_RUNS;
import static dev.gantry.backends.tck.ContractRule.RUN_EXITS;
import static dev.gantry.backends.tck.ContractRule.TIMEOUT_ENDS_EVERYTHING;
import static dev.gantry.backends.tck.ContractRule.TIMEOUT_FIRES;
import static dev.gantry.backends.tck.ContractRule.TIMES_ARE_REPORTED;
import static dev.gantry.backends.tck.ContractRule.UNCLAIMED_GPUS_ARE_UNSUPPORTED;
import static dev.gantry.backends.tck.ContractRule.UNKNOWN_RUN_HAS_UNKNOWN_STATUS;
import static dev.gantry.backends.tck.ContractRule.UNKNOWN_RUN_IS_NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend contract as tests. A backend author extends this class in their test sources,
 * implements {@link #createBackend(BackendContext)} and {@link #workloadCommand(Workload)}, and
 * runs it like any other JUnit 5 test class.
 *
 * <p>Each test gets a fresh backend over its own temporary data directory, a system clock and a
 * {@link RecordingRunListener}. Tests launch small {@link Workload}s, wait by polling with a
 * bounded timeout ({@link #stateTimeout()}), and cancel every run they started when they end, so
 * they pass in any order and in parallel. Tests of optional features are skipped when the backend
 * does not claim them in its {@link dev.gantry.spi.BackendCapabilities}. Every failure names the
 * {@link ContractRule} that was broken: assertions say it, and each test declares its rule with
 * {@link Checks} so that an unexpected exception is reported under it too.
 *
 * <p>The protected helpers ({@link #launch(Workload)}, {@link #probe()}, {@link #openBackend},
 * ...) are there for the author's own backend-specific tests in the same class.
 *
 * @since 0.1
 */
@ExtendWith(RuleNamingExtension.class)
public abstract class BackendContractTest {

    private static final Duration LONG_SLEEP = Duration.ofMinutes(5);
    private static final Duration LONG_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration STOP_GRACE = Duration.ofMillis(500);
    private static final Duration CANCEL_SLACK = Duration.ofSeconds(5);
    private static final int SMALL_PAGE = 37;
    private static final int LINE_COUNT = 200;
    private static final int CONCURRENT_CALLERS = 8;
    private static final String READY = "ready";
    private static final String STARTED = "started";
    private static final String PRIMARY = "primary";

    @TempDir
    Path temporaryDirectory;

    private final RecordingRunListener listener = new RecordingRunListener();
    private final Map<String, LaunchedRun> launched = new ConcurrentHashMap<>();
    private final List<Backend> openBackends = new CopyOnWriteArrayList<>();
    private BackendContext context;
    private Backend backend;
    private BackendProbe probe;

    /**
     * Creates the backend under test from {@code context}. Called once before every test, and
     * again with the same context by the restart tests. Loading the backend's factory through
     * {@link java.util.ServiceLoader} here also proves its registration.
     */
    protected abstract Backend createBackend(BackendContext context) throws BackendException;

    /**
     * Turns {@code workload} into the command a run of this backend executes, exactly as
     * {@link Workload} describes.
     */
    protected abstract List<String> workloadCommand(Workload workload);

    /** The settings every backend of the kit is created with; none by default. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /** How long the kit waits for a run to reach a state; 30 seconds by default. */
    protected Duration stateTimeout() {
        return Duration.ofSeconds(30);
    }

    /** How long output must stay still to show that nothing a run started lives on; 1 second. */
    protected Duration quietPeriod() {
        return Duration.ofSeconds(1);
    }

    /** The resources each workload asks for; a tenth of a core and 64 MiB by default. */
    protected Resources workloadResources() {
        return new Resources(0.1, 64L * 1024 * 1024, 0);
    }

    /** Creates the test's backend over a fresh data directory with {@link #settings()}. */
    @BeforeEach
    public final void openPrimaryBackend() throws BackendException, IOException {
        context = newContext(PRIMARY, settings());
        backend = openBackend(context);
        probe = new BackendProbe(backend, stateTimeout());
    }

    /**
     * Cancels every run the test launched that is still live, waits for its end, and closes every
     * backend the test opened; fails when a run would not end.
     */
    @AfterEach
    public final void removeEverythingStarted() {
        List<AssertionError> failures = new ArrayList<>();
        for (LaunchedRun run : launched.values()) {
            try {
                stopIfLive(run);
            } catch (AssertionError e) {
                failures.add(e);
            }
        }
        openBackends.forEach(Backend::close);
        if (!failures.isEmpty()) {
            AssertionError first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    @Test
    @Checks(RUN_EXITS)
    public void runExitsWithCodeZero() throws BackendException {
        RunHandle handle = launch(Workload.exitingWith(0));

        RunStatus status = probe.awaitTerminal(handle, RUN_EXITS);

        assertThat(status.state()).as("%s: %s", RUN_EXITS, status).isEqualTo(RunState.EXITED);
        assertThat(status.exitCode()).as("%s: %s", EXIT_CODE_IS_REPORTED, status).hasValue(0);
    }

    @Test
    @Checks(EXIT_CODE_IS_REPORTED)
    public void nonZeroExitCodeIsReported() throws BackendException {
        RunHandle handle = launch(Workload.exitingWith(3));

        RunStatus status = probe.awaitTerminal(handle, RUN_EXITS);

        assertThat(status.state()).as("%s: %s", RUN_EXITS, status).isEqualTo(RunState.EXITED);
        assertThat(status.exitCode()).as("%s: %s", EXIT_CODE_IS_REPORTED, status).hasValue(3);
    }

    @Test
    @Checks(TIMES_ARE_REPORTED)
    public void finishedRunReportsStartAndEndTimes() throws BackendException {
        RunHandle handle = launch(Workload.exitingWith(0).sleeping(Duration.ofMillis(200)));

        RunStatus status = probe.awaitTerminal(handle, RUN_EXITS);

        assertThat(status.startedAt()).as("%s: %s", TIMES_ARE_REPORTED, status).isPresent();
        assertThat(status.endedAt()).as("%s: %s", TIMES_ARE_REPORTED, status).isPresent();
        assertThat(status.endedAt().orElseThrow())
                .as("%s: %s", TIMES_ARE_REPORTED, status)
                .isAfterOrEqualTo(status.startedAt().orElseThrow());
    }

    @Test
    @Checks(LIVE_RUN_IS_NOT_TERMINAL)
    public void runIsLiveUntilItExits() throws BackendException {
        RunHandle handle = launch(readyThenSleeping());
        probe.awaitOutput(handle, LogStream.STDOUT, READY, LIVE_RUN_IS_NOT_TERMINAL);

        RunStatus status = probe.status(handle, LIVE_RUN_IS_NOT_TERMINAL);

        assertThat(status.state())
                .as("%s: %s", LIVE_RUN_IS_NOT_TERMINAL, status)
                .isIn(RunState.STARTING, RunState.RUNNING);
    }

    @Test
    @Checks(OUTPUT_IS_COMPLETE_AND_ORDERED)
    public void stdoutAndStderrAreCompleteAndInOrder() throws BackendException {
        List<String> out = numberedLines("out");
        List<String> err = numberedLines("err");
        RunHandle handle = launch(Workload.exitingWith(0).printing(out).printingErrors(err));
        probe.awaitTerminal(handle, RUN_EXITS);

        String stdout = probe.readAll(handle, LogStream.STDOUT, SMALL_PAGE, OUTPUT_IS_COMPLETE_AND_ORDERED);
        String stderr = probe.readAll(handle, LogStream.STDERR, SMALL_PAGE, OUTPUT_IS_COMPLETE_AND_ORDERED);

        assertThat(stdout).as("%s: stdout", OUTPUT_IS_COMPLETE_AND_ORDERED).isEqualTo(joined(out));
        assertThat(stderr).as("%s: stderr", OUTPUT_IS_COMPLETE_AND_ORDERED).isEqualTo(joined(err));
    }

    @Test
    @Checks(LOG_PAGE_IS_BOUNDED)
    public void logPageStartsAtOffsetAndHoldsAtMostMaxBytes() throws BackendException {
        List<String> out = numberedLines("out");
        RunHandle handle = launch(Workload.exitingWith(0).printing(out));
        probe.awaitTerminal(handle, RUN_EXITS);

        LogChunk chunk = backend.logs(handle, LogStream.STDOUT, 5, 10);

        assertThat(chunk.offset()).as("%s", LOG_PAGE_IS_BOUNDED).isEqualTo(5);
        assertThat(new String(chunk.data(), StandardCharsets.US_ASCII))
                .as("%s", LOG_PAGE_IS_BOUNDED)
                .isEqualTo(joined(out).substring(5, 15));
    }

    @Test
    @Checks(OUTPUT_IS_COMPLETE_AND_ORDERED)
    public void logOfFinishedRunIsCompleteAtItsEnd() throws BackendException {
        RunHandle handle = launch(Workload.exitingWith(0).printing(List.of(READY)));
        probe.awaitTerminal(handle, RUN_EXITS);

        LogChunk end = backend.logs(handle, LogStream.STDOUT, READY.length() + 1, SMALL_PAGE);

        assertThat(end.data()).as("%s: page at the end", LOG_PAGE_IS_BOUNDED).isEmpty();
        assertThat(end.complete()).as("%s: page at the end", OUTPUT_IS_COMPLETE_AND_ORDERED).isTrue();
    }

    @Test
    @Checks(LIVE_LOG_IS_NOT_COMPLETE)
    public void logOfLiveRunIsNotComplete() throws BackendException {
        RunHandle handle = launch(readyThenSleeping());
        probe.awaitOutput(handle, LogStream.STDOUT, READY, LIVE_LOG_IS_NOT_COMPLETE);

        LogChunk chunk = backend.logs(handle, LogStream.STDOUT, 0, 1024);

        assertThat(chunk.complete()).as("%s", LIVE_LOG_IS_NOT_COMPLETE).isFalse();
    }

    @Test
    @Checks(CANCEL_ENDS_EVERYTHING)
    public void cancelEndsRunAndEverythingItSpawned() throws BackendException {
        RunHandle handle = launch(readyThenSleeping().spawningChild());
        probe.awaitOutput(handle, LogStream.STDERR, Workload.CHILD_HEARTBEAT, CANCEL_ENDS_EVERYTHING);

        backend.cancel(handle, STOP_GRACE);

        RunStatus status = probe.awaitTerminal(handle, CANCEL_ENDS_RUN);
        assertThat(status.state()).as("%s: %s", CANCEL_ENDS_RUN, status).isEqualTo(RunState.CANCELLED);
        probe.assertOutputStops(handle, LogStream.STDERR, quietPeriod(), CANCEL_ENDS_EVERYTHING);
    }

    @Test
    @Checks(CANCEL_FORCES_STUBBORN_RUN)
    public void cancelForcesRunThatIgnoresStopRequest() throws BackendException {
        RunHandle handle = launch(readyThenSleeping().spawningChild().ignoringStopRequest());
        probe.awaitOutput(handle, LogStream.STDERR, Workload.CHILD_HEARTBEAT, CANCEL_FORCES_STUBBORN_RUN);

        long before = System.nanoTime();
        backend.cancel(handle, STOP_GRACE);
        Duration cancelTook = Duration.ofNanos(System.nanoTime() - before);

        assertThat(cancelTook).as("%s", CANCEL_RETURNS_PROMPTLY).isLessThan(STOP_GRACE.plus(CANCEL_SLACK));
        RunStatus status = probe.awaitTerminal(handle, CANCEL_FORCES_STUBBORN_RUN);
        assertThat(status.state()).as("%s: %s", CANCEL_FORCES_STUBBORN_RUN, status).isEqualTo(RunState.CANCELLED);
        probe.assertOutputStops(handle, LogStream.STDERR, quietPeriod(), CANCEL_ENDS_EVERYTHING);
    }

    @Test
    @Checks(CANCEL_IS_IDEMPOTENT)
    public void cancellingTwiceChangesNothing() throws BackendException {
        RunHandle handle = launch(readyThenSleeping());
        backend.cancel(handle, Duration.ZERO);
        RunStatus first = probe.awaitTerminal(handle, CANCEL_ENDS_RUN);

        backend.cancel(handle, Duration.ZERO);

        assertThat(probe.status(handle, CANCEL_IS_IDEMPOTENT)).as("%s", CANCEL_IS_IDEMPOTENT).isEqualTo(first);
    }

    @Test
    @Checks(CANCEL_IS_IDEMPOTENT)
    public void cancellingFinishedRunChangesNothing() throws BackendException {
        RunHandle handle = launch(Workload.exitingWith(0));
        RunStatus finished = probe.awaitTerminal(handle, RUN_EXITS);

        backend.cancel(handle, Duration.ZERO);

        assertThat(probe.status(handle, CANCEL_IS_IDEMPOTENT)).as("%s", CANCEL_IS_IDEMPOTENT).isEqualTo(finished);
    }

    @Test
    @Checks(TIMEOUT_FIRES)
    public void timeoutStopsRunAndEverythingItSpawned() throws BackendException {
        RunHandle handle = launch(request(readyThenSleeping().spawningChild(), SHORT_TIMEOUT));
        probe.awaitOutput(handle, LogStream.STDERR, Workload.CHILD_HEARTBEAT, TIMEOUT_ENDS_EVERYTHING);

        RunStatus status = probe.awaitTerminal(handle, TIMEOUT_FIRES);

        assertThat(status.state()).as("%s: %s", TIMEOUT_FIRES, status).isEqualTo(RunState.TIMED_OUT);
        probe.assertOutputStops(handle, LogStream.STDERR, quietPeriod(), TIMEOUT_ENDS_EVERYTHING);
    }

    @Test
    @Checks(DUPLICATE_LAUNCH_IS_ABSORBED)
    public void duplicateLaunchReturnsSameHandleAndStartsNothing() throws BackendException {
        LaunchRequest request = request(startedThenExiting(), LONG_TIMEOUT);
        RunHandle first = launch(request);

        RunHandle second = launch(request);

        assertThat(second).as("%s", DUPLICATE_LAUNCH_IS_ABSORBED).isEqualTo(first);
        assertStartedOnce(first);
    }

    @Test
    @Checks(DUPLICATE_LAUNCH_IS_ABSORBED)
    public void concurrentDuplicateLaunchesStartOneRun() throws Exception {
        LaunchRequest request = request(startedThenExiting(), LONG_TIMEOUT);

        Set<RunHandle> handles = launchConcurrently(request);

        assertThat(handles).as("%s: handles of concurrent launches", DUPLICATE_LAUNCH_IS_ABSORBED).hasSize(1);
        assertStartedOnce(handles.iterator().next());
    }

    @Test
    @Checks(RUNS_LISTS_LIVE_RUNS)
    public void runsListsLiveRunsAndNotFinishedOnes() throws BackendException {
        RunHandle live = launch(readyThenSleeping());
        RunHandle finished = launch(Workload.exitingWith(0));
        probe.awaitTerminal(finished, RUN_EXITS);

        List<RunHandle> runs = backend.runs();

        assertThat(runs).as("%s", RUNS_LISTS_LIVE_RUNS).contains(live).doesNotContain(finished);
    }

    @Test
    @Checks(RUNS_LISTS_LIVE_RUNS)
    public void runsDropsCancelledRun() throws BackendException {
        RunHandle handle = launch(readyThenSleeping());
        backend.cancel(handle, Duration.ZERO);
        probe.awaitTerminal(handle, CANCEL_ENDS_RUN);

        List<RunHandle> runs = backend.runs();

        assertThat(runs).as("%s", RUNS_LISTS_LIVE_RUNS).doesNotContain(handle);
    }

    @Test
    @Checks(UNKNOWN_RUN_HAS_UNKNOWN_STATUS)
    public void unknownRunHasStatusUnknown() throws BackendException {
        RunStatus status = backend.status(neverIssuedHandle());

        assertThat(status.state()).as("%s: %s", UNKNOWN_RUN_HAS_UNKNOWN_STATUS, status).isEqualTo(RunState.UNKNOWN);
    }

    @Test
    @Checks(UNKNOWN_RUN_IS_NOT_FOUND)
    public void logsOfUnknownRunFailAsNotFound() {
        RunHandle unknown = neverIssuedHandle();

        BackendException failure =
                failureOf(() -> backend.logs(unknown, LogStream.STDOUT, 0, SMALL_PAGE), UNKNOWN_RUN_IS_NOT_FOUND);

        assertKind(failure, BackendException.Kind.NOT_FOUND, UNKNOWN_RUN_IS_NOT_FOUND);
    }

    @Test
    @Checks(UNKNOWN_RUN_IS_NOT_FOUND)
    public void cancelOfUnknownRunFailsAsNotFound() {
        RunHandle unknown = neverIssuedHandle();

        BackendException failure = failureOf(() -> backend.cancel(unknown, Duration.ZERO), UNKNOWN_RUN_IS_NOT_FOUND);

        assertKind(failure, BackendException.Kind.NOT_FOUND, UNKNOWN_RUN_IS_NOT_FOUND);
    }

    @Test
    @Checks(UNCLAIMED_GPUS_ARE_UNSUPPORTED)
    public void gpuRequestIsUnsupportedWithoutGpuCapability() throws BackendException {
        assumeFalse(backend.describe().capabilities().gpus(), "the backend claims the gpus capability");
        LaunchRequest request = request(Workload.exitingWith(0), LONG_TIMEOUT);
        LaunchRequest withGpu = withResources(request, new Resources(0, 0, 1));

        BackendException failure = failureOf(() -> backend.launch(withGpu), UNCLAIMED_GPUS_ARE_UNSUPPORTED);

        assertKind(failure, BackendException.Kind.UNSUPPORTED, UNCLAIMED_GPUS_ARE_UNSUPPORTED);
        assertThat(backend.runs()).extracting(RunHandle::attemptId)
                .as("%s", FAILED_LAUNCH_LEAVES_NOTHING)
                .doesNotContain(request.attemptId());
        RunStatus retried = probe.awaitTerminal(launch(request), FAILED_LAUNCH_LEAVES_NOTHING);
        assertThat(retried.state()).as("%s: launch after the refusal", FAILED_LAUNCH_LEAVES_NOTHING)
                .isEqualTo(RunState.EXITED);
    }

    @Test
    @Checks(END_IS_PUSHED)
    public void endOfRunIsPushedToListener() throws BackendException {
        assumeTrue(backend.describe().capabilities().pushesStatus(), "the backend does not push status");
        RunHandle handle = launch(Workload.exitingWith(0));

        RunStatus status = probe.awaitTerminal(handle, RUN_EXITS);

        awaitPushed(handle.attemptId(), status.state());
    }

    @Test
    @Checks(RESTART_FINDS_LIVE_RUNS)
    public void restartedBackendFindsLiveRun() throws BackendException {
        assumeTrue(backend.describe().capabilities().survivesRestart(), "the backend does not survive restarts");
        RunHandle handle = launch(readyThenSleeping());
        probe.awaitOutput(handle, LogStream.STDOUT, READY, RESTART_FINDS_LIVE_RUNS);

        Backend restarted = restart(handle);

        assertThat(restarted.runs()).as("%s", RESTART_FINDS_LIVE_RUNS).contains(handle);
        RunStatus status = new BackendProbe(restarted, stateTimeout()).status(handle, RESTART_FINDS_LIVE_RUNS);
        assertThat(status.state()).as("%s: %s", RESTART_FINDS_LIVE_RUNS, status).isEqualTo(RunState.RUNNING);
    }

    @Test
    @Checks(RESTART_KEEPS_CONTROL)
    public void restartedBackendCancelsRunItFoundAgain() throws BackendException {
        assumeTrue(backend.describe().capabilities().survivesRestart(), "the backend does not survive restarts");
        RunHandle handle = launch(readyThenSleeping().spawningChild());
        probe.awaitOutput(handle, LogStream.STDERR, Workload.CHILD_HEARTBEAT, RESTART_KEEPS_CONTROL);
        Backend restarted = restart(handle);

        restarted.cancel(handle, STOP_GRACE);

        BackendProbe restartedProbe = new BackendProbe(restarted, stateTimeout());
        RunStatus status = restartedProbe.awaitTerminal(handle, RESTART_KEEPS_CONTROL);
        assertThat(status.state()).as("%s: %s", RESTART_KEEPS_CONTROL, status).isEqualTo(RunState.CANCELLED);
        restartedProbe.assertOutputStops(handle, LogStream.STDERR, quietPeriod(), RESTART_KEEPS_CONTROL);
    }

    @Test
    @Checks(RESTART_KEEPS_FINISHED_STATUS)
    public void restartedBackendKeepsStatusOfFinishedRun() throws BackendException {
        assumeTrue(backend.describe().capabilities().survivesRestart(), "the backend does not survive restarts");
        RunHandle handle = launch(Workload.exitingWith(3));
        RunStatus finished = probe.awaitTerminal(handle, RUN_EXITS);

        Backend restarted = restart(handle);

        RunStatus status = new BackendProbe(restarted, stateTimeout()).status(handle, RESTART_KEEPS_FINISHED_STATUS);
        assertThat(status.state()).as("%s: %s", RESTART_KEEPS_FINISHED_STATUS, status).isEqualTo(finished.state());
        assertThat(status.exitCode()).as("%s: %s", RESTART_KEEPS_FINISHED_STATUS, status).hasValue(3);
    }

    @Test
    @Checks(DESCRIBE_NAMES_CONFIGURED_ID)
    public void describeReportsConfiguredId() {
        assertThat(backend.describe().id()).as("%s", DESCRIBE_NAMES_CONFIGURED_ID).isEqualTo(context.id());
    }

    @Test
    @Checks(CAPACITY_IS_CONSISTENT)
    public void capacityNeverReportsMoreFreeThanTotal() {
        Capacity capacity = backend.capacity();

        assertThat(capacity.total().fits(capacity.free())).as("%s: %s", CAPACITY_IS_CONSISTENT, capacity).isTrue();
        assertThat(capacity.freeSlots())
                .as("%s: %s", CAPACITY_IS_CONSISTENT, capacity)
                .isBetween(0, capacity.totalSlots());
    }

    @Test
    @Checks(CLOSE_IS_REPEATABLE)
    public void closeMayBeRepeated() {
        backend.close();

        backend.close();

        assertThat(openBackends).as("%s", CLOSE_IS_REPEATABLE).contains(backend);
    }

    /** The backend created for the current test. */
    protected final Backend backend() {
        return backend;
    }

    /** The context the current test's backend was created with. */
    protected final BackendContext context() {
        return context;
    }

    /** A probe of the current test's backend, waiting at most {@link #stateTimeout()}. */
    protected final BackendProbe probe() {
        return probe;
    }

    /** The listener every backend of the current test reports to. */
    protected final RecordingRunListener listener() {
        return listener;
    }

    /**
     * A new context named {@code name}, with its own data directory under the test's temporary
     * directory, the given settings, the system clock and the test's listener.
     */
    protected final BackendContext newContext(String name, Map<String, String> settings) throws IOException {
        Path dataDirectory = Files.createDirectories(temporaryDirectory.resolve(name));
        return new BackendContext("tck-" + name, settings, dataDirectory, Clock.systemUTC(), listener);
    }

    /** Creates a backend from {@code backendContext} and closes it when the test ends. */
    protected final Backend openBackend(BackendContext backendContext) throws BackendException {
        Backend created = createBackend(backendContext);
        openBackends.add(created);
        return created;
    }

    /** Launches {@code workload} on the test's backend with a long timeout. */
    protected final RunHandle launch(Workload workload) throws BackendException {
        return launch(request(workload, LONG_TIMEOUT));
    }

    /** Launches {@code request} on the test's backend; the run is stopped when the test ends. */
    protected final RunHandle launch(LaunchRequest request) throws BackendException {
        return launchOn(backend, request);
    }

    /** Launches {@code request} on {@code target}; the run is stopped when the test ends. */
    protected final RunHandle launchOn(Backend target, LaunchRequest request) throws BackendException {
        RunHandle handle = target.launch(request);
        track(target, handle);
        return handle;
    }

    /** Makes the end of the test stop {@code handle} through {@code owner} if it is still live. */
    protected final void track(Backend owner, RunHandle handle) {
        launched.put(handle.attemptId(), new LaunchedRun(owner, handle));
    }

    /** A request to run {@code workload} under a fresh random attempt id. */
    protected final LaunchRequest request(Workload workload, Duration timeout) {
        String attemptId = "tck-" + UUID.randomUUID();
        return new LaunchRequest(
                attemptId,
                "job-" + attemptId,
                1,
                workloadCommand(workload),
                Map.of(),
                "",
                workloadResources(),
                timeout,
                Map.of("gantry.dev/tck", "true"));
    }

    /** {@code request} with its resources replaced. */
    protected static LaunchRequest withResources(LaunchRequest request, Resources resources) {
        return new LaunchRequest(
                request.attemptId(),
                request.jobId(),
                request.attempt(),
                request.command(),
                request.env(),
                request.workingDirectory(),
                resources,
                request.timeout(),
                request.labels());
    }

    /** The failure {@code call} throws, failing the test when it throws none. */
    protected static BackendException failureOf(BackendCall call) {
        BackendException failure = catchThrowableOfType(BackendException.class, call::run);
        assertThat(failure).as("expected a BackendException").isNotNull();
        return failure;
    }

    /** The failure {@code call} throws, failing the test under {@code rule} when it throws none. */
    protected static BackendException failureOf(BackendCall call, ContractRule rule) {
        BackendException failure = catchThrowableOfType(BackendException.class, call::run);
        assertThat(failure).as("%s: expected a BackendException", rule).isNotNull();
        return failure;
    }

    /** A workload that prints {@code ready} and then sleeps for minutes. */
    protected static Workload readyThenSleeping() {
        return Workload.exitingWith(0).printing(List.of(READY)).sleeping(LONG_SLEEP);
    }

    private static Workload startedThenExiting() {
        return Workload.exitingWith(0).printing(List.of(STARTED)).sleeping(Duration.ofSeconds(1));
    }

    private void assertStartedOnce(RunHandle handle) throws BackendException {
        probe.awaitTerminal(handle, RUN_EXITS);
        String stdout = probe.readAll(handle, LogStream.STDOUT, SMALL_PAGE, DUPLICATE_LAUNCH_IS_ABSORBED);
        assertThat(stdout).as("%s: output of the run", DUPLICATE_LAUNCH_IS_ABSORBED).isEqualTo(STARTED + "\n");
        assertThat(backend.runs()).extracting(RunHandle::attemptId)
                .as("%s: runs()", DUPLICATE_LAUNCH_IS_ABSORBED)
                .doesNotHaveDuplicates();
    }

    private Set<RunHandle> launchConcurrently(LaunchRequest request) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT_CALLERS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RunHandle>> launches = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_CALLERS; i++) {
                launches.add(callers.submit(() -> {
                    start.await();
                    return launch(request);
                }));
            }
            start.countDown();
            Set<RunHandle> handles = new HashSet<>();
            for (Future<RunHandle> launch : launches) {
                handles.add(launch.get(stateTimeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            return handles;
        } finally {
            callers.shutdownNow();
        }
    }

    private Backend restart(RunHandle handle) throws BackendException {
        backend.close();
        Backend restarted = openBackend(context);
        track(restarted, handle);
        return restarted;
    }

    private void awaitPushed(String attemptId, RunState state) {
        long deadline = System.nanoTime() + stateTimeout().toNanos();
        while (listener.statusesOf(attemptId).stream().noneMatch(status -> status.state() == state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(String.format("%s: run %s was not pushed as %s within %s; pushed %s",
                        END_IS_PUSHED, attemptId, state, stateTimeout(), listener.statusesOf(attemptId)));
            }
            BackendProbe.pause();
        }
    }

    private void stopIfLive(LaunchedRun run) {
        BackendProbe runProbe = new BackendProbe(run.owner(), stateTimeout());
        RunStatus status = runProbe.status(run.handle(), CANCEL_ENDS_RUN);
        if (status.state().isTerminal() || status.state() == RunState.UNKNOWN) {
            return;
        }
        try {
            run.owner().cancel(run.handle(), Duration.ZERO);
        } catch (BackendException e) {
            throw new AssertionError(CANCEL_ENDS_RUN + ": cleanup could not cancel run " + run.handle(), e);
        }
        runProbe.awaitTerminal(run.handle(), CANCEL_ENDS_RUN);
    }

    private static RunHandle neverIssuedHandle() {
        return new RunHandle("tck-unknown-" + UUID.randomUUID(), "tck-never-issued", 1);
    }

    private static void assertKind(BackendException failure, BackendException.Kind kind, ContractRule rule) {
        assertThat(failure.kind()).as("%s: %s", rule, failure.getMessage()).isEqualTo(kind);
    }

    private static List<String> numberedLines(String prefix) {
        return IntStream.rangeClosed(1, LINE_COUNT)
                .mapToObj(i -> String.format("%s-%04d the quick brown fox", prefix, i))
                .toList();
    }

    private static String joined(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    /** A call on a backend that may fail with a {@link BackendException}. */
    @FunctionalInterface
    protected interface BackendCall {
        /** Makes the call. */
        void run() throws BackendException;
    }

    private record LaunchedRun(Backend owner, RunHandle handle) {
    }
}
