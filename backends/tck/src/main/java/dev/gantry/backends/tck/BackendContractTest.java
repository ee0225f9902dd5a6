package dev.gantry.backends.tck;

import static dev.gantry.backends.tck.ContractRule.CANCEL_ENDS_EVERYTHING;
import static dev.gantry.backends.tck.ContractRule.CANCEL_ENDS_RUN;
import static dev.gantry.backends.tck.ContractRule.CANCEL_FORCES_STUBBORN_RUN;
import static dev.gantry.backends.tck.ContractRule.CANCEL_IS_IDEMPOTENT;
import static dev.gantry.backends.tck.ContractRule.CANCEL_RETURNS_PROMPTLY;
import static dev.gantry.backends.tck.ContractRule.CANCEL_RIGHT_AFTER_LAUNCH_ENDS_EVERYTHING;
import static dev.gantry.backends.tck.ContractRule.CAPACITY_IS_CONSISTENT;
import static dev.gantry.backends.tck.ContractRule.CAPACITY_TRACKS_RUNS;
import static dev.gantry.backends.tck.ContractRule.CLOSE_IS_REPEATABLE;
import static dev.gantry.backends.tck.ContractRule.CLOSE_LEAVES_RUNS_RUNNING;
import static dev.gantry.backends.tck.ContractRule.CONCURRENT_LAUNCHES_ALL_RUN;
import static dev.gantry.backends.tck.ContractRule.DESCRIBE_NAMES_CONFIGURED_ID;
import static dev.gantry.backends.tck.ContractRule.DUPLICATE_LAUNCH_IS_ABSORBED;
import static dev.gantry.backends.tck.ContractRule.END_IS_PUSHED;
import static dev.gantry.backends.tck.ContractRule.ENV_SECRET_REACHES_RUN;
import static dev.gantry.backends.tck.ContractRule.EXIT_CODE_IS_REPORTED;
import static dev.gantry.backends.tck.ContractRule.FAILED_LAUNCH_LEAVES_NOTHING;
import static dev.gantry.backends.tck.ContractRule.FAILURES_ARE_BACKEND_EXCEPTIONS;
import static dev.gantry.backends.tck.ContractRule.FILE_SECRET_REACHES_RUN;
import static dev.gantry.backends.tck.ContractRule.LIVE_LOG_IS_NOT_COMPLETE;
import static dev.gantry.backends.tck.ContractRule.LIVE_RUN_IS_NOT_TERMINAL;
import static dev.gantry.backends.tck.ContractRule.LOG_PAGE_IS_BOUNDED;
import static dev.gantry.backends.tck.ContractRule.OUTPUT_IS_COMPLETE_AND_ORDERED;
import static dev.gantry.backends.tck.ContractRule.PLUGIN_LOADS;
import static dev.gantry.backends.tck.ContractRule.RESTART_FINDS_LIVE_RUNS;
import static dev.gantry.backends.tck.ContractRule.RESTART_KEEPS_CONTROL;
import static dev.gantry.backends.tck.ContractRule.RESTART_KEEPS_FINISHED_STATUS;
import static dev.gantry.backends.tck.ContractRule.RUNS_LISTS_LIVE_RUNS;
import static dev.gantry.backends.tck.ContractRule.RUN_EXITS;
import static dev.gantry.backends.tck.ContractRule.SCALING_KEEPS_RUNS;
import static dev.gantry.backends.tck.ContractRule.SECRET_IS_NOT_EXPOSED;
import static dev.gantry.backends.tck.ContractRule.SPI_VERSION_IS_COMPATIBLE;
import static dev.gantry.backends.tck.ContractRule.TIMEOUT_ENDS_EVERYTHING;
import static dev.gantry.backends.tck.ContractRule.TIMEOUT_FIRES;
import static dev.gantry.backends.tck.ContractRule.TIMES_ARE_REPORTED;
import static dev.gantry.backends.tck.ContractRule.UNCLAIMED_GPUS_ARE_UNSUPPORTED;
import static dev.gantry.backends.tck.ContractRule.UNCLAIMED_SCALING_IS_UNSUPPORTED;
import static dev.gantry.backends.tck.ContractRule.UNCLAIMED_SECRET_FILES_ARE_UNSUPPORTED;
import static dev.gantry.backends.tck.ContractRule.UNKNOWN_RUN_HAS_UNKNOWN_STATUS;
import static dev.gantry.backends.tck.ContractRule.UNKNOWN_RUN_IS_NOT_FOUND;
import static dev.gantry.backends.tck.ContractRule.UNPLACED_ENV_SECRETS_ARE_UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendCapabilities;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import dev.gantry.spi.ScaleRequest;
import dev.gantry.spi.Secret;
import dev.gantry.spi.SpiVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The backend contract as tests. A backend author extends this class in their test sources,
 * implements {@link #backendType()}, {@link #pluginPaths()} and {@link #workloadCommand(Workload)},
 * and runs it like any other JUnit 5 test class.
 *
 * <p>The kit loads the backend the way the control plane does: the plugin at
 * {@link #pluginPaths()} goes through the real plugin loader, in a class loader of its own that
 * shares only the SPI and the logging API with the kit, and the factory of
 * {@link #backendType()} creates each backend under the plugin's context class loader. So the kit
 * also proves that the plugin is packaged and registered right, and that it works isolated from
 * the host. {@link #createBackend(BackendContext)} is the escape hatch for the rare backend that
 * cannot be created that way in a test; even then the tests of the plugin itself
 * ({@link ContractRule#PLUGIN_LOADS}, {@link ContractRule#SPI_VERSION_IS_COMPATIBLE}) load it
 * through the plugin loader.
 *
 * <p>Each test gets a fresh backend over its own temporary data directory, a system clock and a
 * {@link RecordingRunListener}. Tests launch small {@link Workload}s, wait by polling with a
 * bounded timeout ({@link #stateTimeout()}), and cancel every run they started when they end, so
 * they pass in any order and in parallel. Tests of optional features are skipped when the backend
 * does not claim them in its {@link BackendCapabilities}, and those that can check it make sure
 * that an unclaimed feature fails as {@link BackendException.Kind#UNSUPPORTED}. Every failure
 * names the {@link ContractRule} that was broken: assertions say it, and each test declares its
 * rule with {@link Checks} so that an unexpected exception is reported under it too. When the
 * backend cannot be created at all, each test fails once, before it starts, under
 * {@link ContractRule#PLUGIN_LOADS}, with the factory's exception as the cause.
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
    private static final int CAPACITY_RUNS = 3;
    /** How long after launch returns each run of the fast-cancel test is cancelled; a busy wait. */
    private static final long[] FAST_CANCEL_DELAYS_MICROS = {
        0, 200, 400, 600, 800, 1_000, 1_200, 1_400, 1_600, 1_800, 2_000, 2_500, 3_000};
    private static final int READ_PAGE = 4096;
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
     * The type of the backend under test, as its factory reports it, such as
     * {@code local-process}.
     */
    protected abstract String backendType();

    /**
     * The plugin as an operator would install it: its jar or classes directory, followed by the
     * jars of its runtime dependencies. The SPI and SLF4J come from the host and must not be
     * among them. Called before every test; the plugin is loaded once per distinct list of paths.
     */
    protected abstract List<Path> pluginPaths();

    /**
     * Creates the backend under test from {@code context}. Called once before every test, and
     * again with the same context by the restart tests.
     *
     * <p>By default, {@link #pluginFactory()} creates it, as the control plane would. Override
     * this only when the backend cannot be created that way in a test, for example because it
     * must be pointed at a fake server first; the override should still create it through
     * {@link #pluginFactory()} if it can, so that the backend runs in its plugin class loader.
     */
    protected Backend createBackend(BackendContext context) throws BackendException {
        return pluginFactory().create(context);
    }

    /**
     * Turns {@code workload} into the command a run of this backend executes, exactly as
     * {@link Workload} describes.
     */
    protected abstract List<String> workloadCommand(Workload workload);

    /** The settings every backend of the kit is created with; none by default. */
    protected Map<String, String> settings() {
        return Map.of();
    }

    /**
     * Whether the backend places {@link Secret.Target#ENV} secrets. True by default; a backend that
     * cannot keep them out of durable storage (see {@link dev.gantry.spi.BackendCapabilities}) returns
     * false, and the kit then checks that it refuses them properly instead.
     */
    protected boolean placesEnvSecrets() {
        return true;
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

    /**
     * Cancels runs right after their launch returned, each a little later than the one before
     * (from at once to {@code 3 ms} later), so that one cancel likely lands while the run is still
     * starting its child. The workload ignores the polite stop request, so a child that starts
     * after the cancel came lives until the forced stop: a backend that lists a run's processes
     * once, when cancel comes, and later kills that list misses it, and it lives on.
     */
    @Test
    @Checks(CANCEL_RIGHT_AFTER_LAUNCH_ENDS_EVERYTHING)
    public void cancelRightAfterLaunchEndsEverythingItSpawns() throws BackendException {
        List<RunHandle> handles = new ArrayList<>();
        for (long delayMicros : FAST_CANCEL_DELAYS_MICROS) {
            RunHandle handle = launch(readyThenSleeping().spawningChild().ignoringStopRequest());
            spinFor(delayMicros);
            backend.cancel(handle, STOP_GRACE);
            handles.add(handle);

            RunStatus status = probe.awaitTerminal(handle, CANCEL_RIGHT_AFTER_LAUNCH_ENDS_EVERYTHING);
            assertThat(status.state())
                    .as("%s: %s", CANCEL_RIGHT_AFTER_LAUNCH_ENDS_EVERYTHING, status)
                    .isEqualTo(RunState.CANCELLED);
        }

        probe.assertOutputsStop(handles, LogStream.STDERR, quietPeriod(), CANCEL_RIGHT_AFTER_LAUNCH_ENDS_EVERYTHING);
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

        List<RunHandle> handles = launchAllAtOnce(Collections.nCopies(CONCURRENT_CALLERS, request));

        assertThat(new HashSet<>(handles))
                .as("%s: handles of concurrent launches", DUPLICATE_LAUNCH_IS_ABSORBED)
                .hasSize(1);
        assertStartedOnce(handles.get(0));
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
        assertRefusedLaunchLeftNothing(request);
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

        assertConsistent(capacity);
    }

    @Test
    @Checks(CLOSE_IS_REPEATABLE)
    public void closeMayBeRepeated() {
        backend.close();

        backend.close();

        assertThat(openBackends).as("%s", CLOSE_IS_REPEATABLE).contains(backend);
    }

    @Test
    @Checks(CAPACITY_TRACKS_RUNS)
    public void freeSlotsDropWhileRunsLiveAndReturnAfterCancel() throws BackendException {
        Capacity before = consistentCapacity();
        int count = runsThatFit(CAPACITY_RUNS);
        assumeTrue(count > 0, "the backend has no room for one run of workloadResources()");
        List<RunHandle> handles = launchEach(count, i -> readyThenSleeping());

        Capacity during = consistentCapacity();
        cancelAndAwaitEnd(handles);

        assertThat(during.freeSlots())
                .as("%s: %d runs live; before %s, during %s", CAPACITY_TRACKS_RUNS, count, before, during)
                .isLessThanOrEqualTo(before.freeSlots() - count);
        awaitFreeSlots(before.freeSlots());
    }

    @Test
    @Checks(CAPACITY_TRACKS_RUNS)
    public void freeSlotsReturnAfterRunsExit() throws BackendException {
        Capacity before = consistentCapacity();
        int count = runsThatFit(CAPACITY_RUNS);
        assumeTrue(count > 0, "the backend has no room for one run of workloadResources()");

        List<RunHandle> handles = launchEach(count, i -> Workload.exitingWith(0));
        handles.forEach(handle -> probe.awaitTerminal(handle, RUN_EXITS));

        awaitFreeSlots(before.freeSlots());
    }

    @Test
    @Checks(CONCURRENT_LAUNCHES_ALL_RUN)
    public void concurrentLaunchesOfDistinctAttemptsAllRun() throws Exception {
        int count = runsThatFit(CONCURRENT_CALLERS);
        assumeTrue(count >= 2, "the backend has no room for two runs of workloadResources() at once");
        List<LaunchRequest> requests = IntStream.range(0, count)
                .mapToObj(i -> request(Workload.exitingWith(i + 1).printing(List.of("run-" + i)), LONG_TIMEOUT))
                .toList();

        List<RunHandle> handles = launchAllAtOnce(requests);

        assertThat(handles).extracting(RunHandle::attemptId)
                .as("%s: attempt ids of the handles", CONCURRENT_LAUNCHES_ALL_RUN)
                .containsExactlyElementsOf(requests.stream().map(LaunchRequest::attemptId).toList());
        for (int i = 0; i < count; i++) {
            assertRanAsChosen(handles.get(i), i + 1, "run-" + i + "\n");
        }
    }

    @Test
    @Checks(CLOSE_LEAVES_RUNS_RUNNING)
    public void closeLeavesActiveRunsRunning() throws BackendException {
        assumeTrue(capabilities().survivesRestart(),
                "only a backend that survives restarts can show the kit a run after close");
        RunHandle handle = launch(readyThenSleeping().spawningChild());
        probe.awaitOutput(handle, LogStream.STDERR, Workload.CHILD_HEARTBEAT, CLOSE_LEAVES_RUNS_RUNNING);

        backend.close();

        Backend reopened = openBackend(context);
        track(reopened, handle);
        BackendProbe reopenedProbe = new BackendProbe(reopened, stateTimeout());
        reopenedProbe.awaitOutputGrowth(handle, LogStream.STDERR, CLOSE_LEAVES_RUNS_RUNNING);
        RunStatus status = reopenedProbe.status(handle, CLOSE_LEAVES_RUNS_RUNNING);
        assertThat(status.state()).as("%s: %s", CLOSE_LEAVES_RUNS_RUNNING, status).isEqualTo(RunState.RUNNING);
    }

    @Test
    @Checks(FAILURES_ARE_BACKEND_EXCEPTIONS)
    public void closedBackendFailsOnlyWithBackendException() throws BackendException {
        // Neither run is tracked: a closed backend may not be able to cancel, and both end on their own.
        RunHandle finished = backend.launch(request(Workload.exitingWith(0), LONG_TIMEOUT));
        probe.awaitTerminal(finished, RUN_EXITS);
        LaunchRequest later = request(Workload.exitingWith(0), LONG_TIMEOUT);

        backend.close();

        assertFailsOnlyAsBackendException("describe", () -> assertThat(backend.describe())
                .as("%s: describe after close", FAILURES_ARE_BACKEND_EXCEPTIONS)
                .isNotNull());
        assertFailsOnlyAsBackendException("capacity", backend::capacity);
        assertFailsOnlyAsBackendException("status", () -> backend.status(finished));
        assertFailsOnlyAsBackendException("logs", () -> backend.logs(finished, LogStream.STDOUT, 0, SMALL_PAGE));
        assertFailsOnlyAsBackendException("cancel", () -> backend.cancel(finished, Duration.ZERO));
        assertFailsOnlyAsBackendException("runs", backend::runs);
        assertFailsOnlyAsBackendException("launch", () -> backend.launch(later));
        assertFailsOnlyAsBackendException("scale", () -> backend.scale(new ScaleRequest(0, "tck")));
    }

    @Test
    @Checks(PLUGIN_LOADS)
    public void pluginLoadsThroughPluginLoader() {
        BackendFactory factory = pluginFactory();

        assertThat(factory.type()).as("%s", PLUGIN_LOADS).isEqualTo(backendType());
    }

    @Test
    @Checks(SPI_VERSION_IS_COMPATIBLE)
    public void factorySpiVersionIsCompatible() {
        String version = pluginFactory().spiVersion();

        assertThat(isCompatibleWithCurrentSpi(version))
                .as("%s: the factory reports '%s', this SPI is %s", SPI_VERSION_IS_COMPATIBLE, version,
                        SpiVersion.CURRENT)
                .isTrue();
    }

    @Test
    @Checks(ENV_SECRET_REACHES_RUN)
    public void envSecretReachesRun() throws BackendException {
        assumeTrue(placesEnvSecrets(), "the backend does not place ENV secrets");
        Secret secret = randomSecret(Secret.Target.ENV);

        RunHandle handle = launch(requestReporting(secret));

        assertSecretReported(handle, secret, ENV_SECRET_REACHES_RUN);
    }

    @Test
    @Checks(UNPLACED_ENV_SECRETS_ARE_UNSUPPORTED)
    public void envSecretIsUnsupportedWhereNotPlaced() throws BackendException {
        assumeFalse(placesEnvSecrets(), "the backend places ENV secrets");

        assertSecretRefused(Secret.Target.ENV, UNPLACED_ENV_SECRETS_ARE_UNSUPPORTED);
    }

    @Test
    @Checks(FILE_SECRET_REACHES_RUN)
    public void fileSecretReachesRun() throws BackendException {
        assumeTrue(capabilities().secretFiles(), "the backend does not claim the secretFiles capability");
        Secret secret = randomSecret(Secret.Target.FILE);

        RunHandle handle = launch(requestReporting(secret));

        assertSecretReported(handle, secret, FILE_SECRET_REACHES_RUN);
    }

    @Test
    @Checks(UNCLAIMED_SECRET_FILES_ARE_UNSUPPORTED)
    public void fileSecretIsUnsupportedWithoutSecretFilesCapability() throws BackendException {
        assumeFalse(capabilities().secretFiles(), "the backend claims the secretFiles capability");

        assertSecretRefused(Secret.Target.FILE, UNCLAIMED_SECRET_FILES_ARE_UNSUPPORTED);
    }

    private void assertSecretRefused(Secret.Target target, ContractRule rule) throws BackendException {
        Secret secret = randomSecret(target);
        LaunchRequest request = request(Workload.exitingWith(0), LONG_TIMEOUT);
        LaunchRequest withSecret = withSecrets(request, List.of(secret));

        BackendException failure = failureOf(() -> backend.launch(withSecret), rule);

        assertKind(failure, BackendException.Kind.UNSUPPORTED, rule);
        assertThat(String.valueOf(failure.getMessage()))
                .as("%s: the failure message", SECRET_IS_NOT_EXPOSED)
                .doesNotContain(secret.value());
        assertRefusedLaunchLeftNothing(request);
    }

    @Test
    @Checks(UNCLAIMED_SCALING_IS_UNSUPPORTED)
    public void scaleIsUnsupportedWithoutScalingCapability() {
        assumeFalse(capabilities().scales(), "the backend claims the scales capability");

        BackendException failure = failureOf(
                () -> backend.scale(new ScaleRequest(1, "tck")), UNCLAIMED_SCALING_IS_UNSUPPORTED);

        assertKind(failure, BackendException.Kind.UNSUPPORTED, UNCLAIMED_SCALING_IS_UNSUPPORTED);
    }

    @Test
    @Checks(SCALING_KEEPS_RUNS)
    public void scalingToNoWarmCapacityKeepsRunningWork() throws BackendException {
        assumeTrue(capabilities().scales(), "the backend does not claim the scales capability");
        RunHandle handle = launch(readyThenSleeping());
        probe.awaitOutput(handle, LogStream.STDOUT, READY, SCALING_KEEPS_RUNS);

        backend.scale(new ScaleRequest(0, "tck: no warm capacity"));

        probe.assertStaysLive(handle, quietPeriod(), SCALING_KEEPS_RUNS);
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

    /**
     * The factory of {@link #backendType()} from the plugin at {@link #pluginPaths()}, loaded
     * through the control plane's plugin loader; fails the test under
     * {@link ContractRule#PLUGIN_LOADS} when the plugin does not load or lacks the type.
     */
    protected final BackendFactory pluginFactory() {
        return PluginFactories.load(backendType(), pluginPaths());
    }

    /**
     * Creates a backend from {@code backendContext} and closes it when the test ends. When
     * {@link #createBackend(BackendContext)} throws, or returns nothing, the test fails once, under
     * {@link ContractRule#PLUGIN_LOADS}, saying that the backend could not be created and why.
     */
    protected final Backend openBackend(BackendContext backendContext) throws BackendException {
        Backend created;
        try {
            created = createBackend(backendContext);
        } catch (AssertionError | TestAbortedException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new AssertionError(PLUGIN_LOADS + ": the backend could not be created from the plugin: "
                    + RuleNamingExtension.describe(e), e);
        }
        if (created == null) {
            throw new AssertionError(PLUGIN_LOADS + ": the backend could not be created from the plugin: "
                    + "createBackend returned null");
        }
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
                Map.of("gantry.dev/tck", "true"),
                List.of());
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
                request.labels(),
                request.secrets());
    }

    /** {@code request} with its secrets replaced. */
    protected static LaunchRequest withSecrets(LaunchRequest request, List<Secret> secrets) {
        return new LaunchRequest(
                request.attemptId(),
                request.jobId(),
                request.attempt(),
                request.command(),
                request.env(),
                request.workingDirectory(),
                request.resources(),
                request.timeout(),
                request.labels(),
                secrets);
    }

    /**
     * A secret placed as {@code target}, with a random name that is a valid shell variable and
     * file name, and a random value found nowhere else.
     */
    protected static Secret randomSecret(Secret.Target target) {
        String random = UUID.randomUUID().toString().replace("-", "");
        return new Secret("TCK_SECRET_" + random.substring(0, 12).toUpperCase(Locale.ROOT), target,
                "tck-secret-value-" + random);
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

    /** Waits {@code micros} without giving up the thread, which a sleep this short would. */
    private static void spinFor(long micros) {
        long end = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
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

    private List<RunHandle> launchAllAtOnce(List<LaunchRequest> requests) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(requests.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RunHandle>> launches = new ArrayList<>();
            for (LaunchRequest request : requests) {
                launches.add(callers.submit(() -> {
                    start.await();
                    return launch(request);
                }));
            }
            start.countDown();
            List<RunHandle> handles = new ArrayList<>();
            for (Future<RunHandle> launch : launches) {
                handles.add(launch.get(stateTimeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            return handles;
        } finally {
            callers.shutdownNow();
        }
    }

    private void assertRanAsChosen(RunHandle handle, int exitCode, String stdout) {
        RunStatus status = probe.awaitTerminal(handle, CONCURRENT_LAUNCHES_ALL_RUN);
        assertThat(status.state()).as("%s: %s", CONCURRENT_LAUNCHES_ALL_RUN, status).isEqualTo(RunState.EXITED);
        assertThat(status.exitCode()).as("%s: %s", CONCURRENT_LAUNCHES_ALL_RUN, status).hasValue(exitCode);
        assertThat(probe.readAll(handle, LogStream.STDOUT, READ_PAGE, CONCURRENT_LAUNCHES_ALL_RUN))
                .as("%s: stdout of run %s", CONCURRENT_LAUNCHES_ALL_RUN, handle.attemptId())
                .isEqualTo(stdout);
    }

    /** How many runs of {@link #workloadResources()}, up to {@code wanted}, fit in the free capacity. */
    private int runsThatFit(int wanted) {
        Capacity capacity = consistentCapacity();
        Resources needed = Resources.NONE;
        int count = 0;
        while (count < Math.min(wanted, capacity.freeSlots())
                && capacity.free().fits(needed.plus(workloadResources()))) {
            needed = needed.plus(workloadResources());
            count++;
        }
        return count;
    }

    private List<RunHandle> launchEach(int count, IntFunction<Workload> workload)
            throws BackendException {
        List<RunHandle> handles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            handles.add(launch(workload.apply(i)));
        }
        return handles;
    }

    private void cancelAndAwaitEnd(List<RunHandle> handles) throws BackendException {
        for (RunHandle handle : handles) {
            backend.cancel(handle, Duration.ZERO);
        }
        handles.forEach(handle -> probe.awaitTerminal(handle, CANCEL_ENDS_RUN));
    }

    private Capacity consistentCapacity() {
        Capacity capacity = backend.capacity();
        assertConsistent(capacity);
        return capacity;
    }

    private static void assertConsistent(Capacity capacity) {
        assertThat(capacity.total().fits(capacity.free())).as("%s: %s", CAPACITY_IS_CONSISTENT, capacity).isTrue();
        assertThat(capacity.freeSlots())
                .as("%s: %s", CAPACITY_IS_CONSISTENT, capacity)
                .isBetween(0, capacity.totalSlots());
    }

    private void awaitFreeSlots(int expected) {
        long deadline = System.nanoTime() + stateTimeout().toNanos();
        Capacity capacity = consistentCapacity();
        while (capacity.freeSlots() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(String.format("%s: free slots did not return to %d within %s; capacity %s",
                        CAPACITY_TRACKS_RUNS, expected, stateTimeout(), capacity));
            }
            BackendProbe.pause();
            capacity = consistentCapacity();
        }
    }

    private BackendCapabilities capabilities() {
        return backend.describe().capabilities();
    }

    private LaunchRequest requestReporting(Secret secret) {
        Workload workload = Workload.exitingWith(0).reportingSecret(secret.target(), secret.name());
        return withSecrets(request(workload, LONG_TIMEOUT), List.of(secret));
    }

    private void assertSecretReported(RunHandle handle, Secret secret, ContractRule rule) throws BackendException {
        RunStatus status = probe.awaitTerminal(handle, rule);
        String stdout = probe.readAll(handle, LogStream.STDOUT, READ_PAGE, rule);

        assertThat(stdout)
                .as("%s: the run reports the digest of what it found", rule)
                .isEqualTo(Workload.secretReport(secret.name(), secret.value()) + "\n");
        assertThat(status.state()).as("%s: %s", rule, status).isEqualTo(RunState.EXITED);
        assertSecretNotExposed(handle, status, secret);
    }

    private void assertSecretNotExposed(RunHandle handle, RunStatus status, Secret secret) throws BackendException {
        String value = secret.value();
        assertThat(status.message()).as("%s: status message", SECRET_IS_NOT_EXPOSED).doesNotContain(value);
        assertThat(handle.reference()).as("%s: run handle", SECRET_IS_NOT_EXPOSED).doesNotContain(value);
        for (LogStream stream : LogStream.values()) {
            assertThat(probe.readAvailable(handle, stream, SECRET_IS_NOT_EXPOSED))
                    .as("%s: %s of a run that only wrote the digest", SECRET_IS_NOT_EXPOSED, stream)
                    .doesNotContain(value);
        }
        assertThat(backend.runs()).extracting(RunHandle::reference)
                .as("%s: runs()", SECRET_IS_NOT_EXPOSED)
                .noneMatch(reference -> reference.contains(value));
    }

    private void assertRefusedLaunchLeftNothing(LaunchRequest request) throws BackendException {
        assertThat(backend.runs()).extracting(RunHandle::attemptId)
                .as("%s", FAILED_LAUNCH_LEAVES_NOTHING)
                .doesNotContain(request.attemptId());
        RunStatus retried = probe.awaitTerminal(launch(request), FAILED_LAUNCH_LEAVES_NOTHING);
        assertThat(retried.state()).as("%s: launch after the refusal", FAILED_LAUNCH_LEAVES_NOTHING)
                .isEqualTo(RunState.EXITED);
    }

    private static void assertFailsOnlyAsBackendException(String method, BackendCall call) {
        try {
            call.run();
        } catch (BackendException e) {
            // Failing is allowed after close; the rule is only about how.
        } catch (RuntimeException e) {
            throw new AssertionError(String.format("%s: %s after close threw %s",
                    FAILURES_ARE_BACKEND_EXCEPTIONS, method, e), e);
        }
    }

    private static boolean isCompatibleWithCurrentSpi(String version) {
        try {
            return SpiVersion.isCompatible(SpiVersion.CURRENT, version);
        } catch (IllegalArgumentException e) {
            return false;
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
