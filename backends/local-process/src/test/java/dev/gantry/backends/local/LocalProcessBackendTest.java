package dev.gantry.backends.local;

import static dev.gantry.backends.tck.ContractRule.CANCEL_ENDS_EVERYTHING;
import static dev.gantry.backends.tck.ContractRule.CANCEL_ENDS_RUN;
import static dev.gantry.backends.tck.ContractRule.LIVE_RUN_IS_NOT_TERMINAL;
import static dev.gantry.backends.tck.ContractRule.OUTPUT_IS_COMPLETE_AND_ORDERED;
import static dev.gantry.backends.tck.ContractRule.RESTART_FINDS_LIVE_RUNS;
import static dev.gantry.backends.tck.ContractRule.RUN_EXITS;
import static dev.gantry.backends.tck.ContractRule.TIMEOUT_FIRES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.backends.local.internal.AttemptFiles;
import dev.gantry.backends.local.internal.AttemptRecord;
import dev.gantry.backends.local.internal.BackendCgroup;
import dev.gantry.backends.local.internal.ChildEnvironment;
import dev.gantry.backends.local.internal.ExitRecord;
import dev.gantry.backends.local.internal.ProcStat;
import dev.gantry.backends.tck.BackendContractTest;
import dev.gantry.backends.tck.BackendProbe;
import dev.gantry.backends.tck.Workload;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendCapabilities;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import dev.gantry.spi.Price;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import dev.gantry.spi.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the backend contract kit against the local-process backend, loaded as a plugin, plus what
 * is particular to running processes on this host: environment isolation, no shell, process
 * groups, signals, the attempt directory, the log cap, restarts, capacity, price, where secrets
 * go and when they are removed, and containment in cgroups. The tests of cgroups are skipped, saying
 * why, on a host without a usable cgroup2 mount.
 */
class LocalProcessBackendTest extends BackendContractTest {

    private static final Duration LONG_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration SHORT_GRACE = Duration.ofMillis(300);
    private static final Resources SMALL = new Resources(0.1, 16L * 1024 * 1024, 0);
    private static final Duration PROCESS_END_TIMEOUT = Duration.ofSeconds(10);
    private static final String GRANDCHILD_PID_FILE = "grandchild.pid";
    private static final String LEADER_MAY_EXIT_FILE = "leader-may-exit";

    @Override
    protected String backendType() {
        return LocalProcessBackend.TYPE;
    }

    @Override
    protected List<Path> pluginPaths() {
        return LocalProcessPlugin.paths();
    }

    @Override
    protected List<String> workloadCommand(Workload workload) {
        List<String> script = new ArrayList<>();
        if (workload.ignoresStopRequest()) {
            script.add("trap '' TERM");
        }
        if (workload.spawnsChild()) {
            script.add("while :; do echo " + Workload.CHILD_HEARTBEAT + " >&2; sleep 0.1; done &");
        }
        workload.secretReports().forEach(report -> script.add(secretReportCommand(report)));
        workload.stdoutLines().forEach(line -> script.add("printf '%s\\n' " + quoted(line)));
        workload.stderrLines().forEach(line -> script.add("printf '%s\\n' " + quoted(line) + " >&2"));
        if (!workload.sleep().isZero()) {
            script.add("sleep " + seconds(workload.sleep()));
        }
        script.add("exit " + workload.exitCode());
        return List.of("/bin/sh", "-c", String.join("\n", script));
    }

    @Override
    protected Map<String, String> settings() {
        return Map.of("slots", "16", "kill-grace", "500ms");
    }

    @Test
    void childSeesOnlyItsOwnEnvironment() throws Exception {
        RunHandle handle = launch(request(List.of("/usr/bin/env"), Map.of("GANTRY_MARKER", "marker-value"), ""));

        List<String> lines = finishedStdout(handle).lines().toList();

        assertThat(lines).containsExactlyInAnyOrder(
                "GANTRY_MARKER=marker-value",
                "PATH=/usr/local/bin:/usr/bin:/bin",
                "HOME=" + attemptDirectory(handle).resolve("work"),
                "LANG=C.UTF-8");
    }

    @Test
    void jobEnvironmentOverridesTheBase() throws Exception {
        RunHandle handle = launch(request(List.of("/usr/bin/env"), Map.of("PATH", "/bin", "HOME", "/nowhere"), ""));

        List<String> lines = finishedStdout(handle).lines().toList();

        assertThat(lines).contains("PATH=/bin", "HOME=/nowhere").doesNotContain("PATH=/usr/local/bin:/usr/bin:/bin");
    }

    @Test
    void argumentsArriveLiterallyWithoutShell() throws Exception {
        RunHandle handle = launch(request(List.of("printf", "%s\\n", "$HOME;echo hi `id` *"), Map.of(), ""));

        String stdout = finishedStdout(handle);

        assertThat(stdout).isEqualTo("$HOME;echo hi `id` *\n");
    }

    @Test
    void cancelKillsTermTrappingChildAndItsGrandchildren() throws Exception {
        RunHandle handle = launchStubbornFamily(LONG_TIMEOUT);

        backend().cancel(handle, SHORT_GRACE);

        RunStatus status = probe().awaitTerminal(handle, CANCEL_ENDS_RUN);
        assertThat(status.state()).isEqualTo(RunState.CANCELLED);
        assertThat(status.exitCode()).hasValue(137);
        assertThat(status.signal()).hasValue("SIGKILL");
        awaitGroupGone(pid(handle));
    }

    @Test
    void timeoutKillsTermTrappingChildAndItsGrandchildren() throws Exception {
        RunHandle handle = launchStubbornFamily(Duration.ofSeconds(1));

        RunStatus status = probe().awaitTerminal(handle, TIMEOUT_FIRES);

        assertThat(status.state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(status.exitCode()).hasValue(137);
        assertThat(status.signal()).hasValue("SIGKILL");
        awaitGroupGone(pid(handle));
    }

    @Test
    void timedOutRunThatHonoursSigtermReportsIt() throws Exception {
        RunHandle handle = launch(request(readyThenSleeping(), Duration.ofSeconds(1)));

        RunStatus status = probe().awaitTerminal(handle, TIMEOUT_FIRES);

        assertThat(status.state()).isEqualTo(RunState.TIMED_OUT);
        assertThat(status.exitCode()).hasValue(143);
        assertThat(status.signal()).hasValue("SIGTERM");
        assertThat(status.message()).contains("timed out after PT1S");
    }

    @Test
    void processKilledBySignalReportsCodeAndSignalName() throws Exception {
        RunHandle handle = launch(request(List.of("/bin/sh", "-c", "kill -9 $$"), Map.of(), ""));

        RunStatus status = probe().awaitTerminal(handle, RUN_EXITS);

        assertThat(status.state()).isEqualTo(RunState.EXITED);
        assertThat(status.exitCode()).hasValue(137);
        assertThat(status.signal()).hasValue("SIGKILL");
    }

    @Test
    void leftoversOfExitedRunAreKilled() throws Exception {
        RunHandle handle = launch(Workload.exitingWith(0).spawningChild().sleeping(Duration.ofMillis(300)));

        probe().awaitTerminal(handle, RUN_EXITS);

        awaitGroupGone(pid(handle));
    }

    @Test
    void unknownCommandIsBadRequestNamingIt() {
        LaunchRequest request = request(List.of("gantry-no-such-command"), Map.of(), "");

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("'gantry-no-such-command'");
        assertThat(attemptDirectory(request.attemptId())).doesNotExist();
    }

    @Test
    void nonExecutableFileIsBadRequest() throws IOException {
        Path plainFile = Files.writeString(context().dataDirectory().resolve("not-a-program"), "text");
        LaunchRequest request = request(List.of(plainFile.toString()), Map.of(), "");

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(attemptDirectory(request.attemptId())).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../elsewhere", "/tmp", "sub/../../elsewhere"})
    void workingDirectoryOutsideAttemptDirectoryIsRejected(String workingDirectory) {
        LaunchRequest request = request(List.of("/bin/true"), Map.of(), workingDirectory);

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("'" + workingDirectory + "'");
        assertThat(attemptDirectory(request.attemptId())).doesNotExist();
    }

    @Test
    void workingDirectoryIsCreatedInsideAttemptDirectory() throws Exception {
        RunHandle handle = launch(request(List.of("/bin/pwd"), Map.of(), "sub/dir"));

        String stdout = finishedStdout(handle);

        assertThat(stdout).isEqualTo(attemptDirectory(handle).resolve("work/sub/dir").toRealPath() + "\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil", "a/b", ".hidden"})
    void unsafeAttemptIdIsBadRequest(String attemptId) throws BackendException {
        LaunchRequest request = withAttemptId(request(List.of("/bin/true"), Map.of(), ""), attemptId);

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(backend().status(new RunHandle(attemptId, "pid:1:1", 1)).state()).isEqualTo(RunState.UNKNOWN);
    }

    @Test
    void handleWithForeignReferenceIsUnknown() throws Exception {
        RunHandle handle = launch(Workload.exitingWith(0));
        probe().awaitTerminal(handle, RUN_EXITS);

        RunStatus status = backend().status(new RunHandle(handle.attemptId(), "pid:1:1", 1));

        assertThat(status.state()).isEqualTo(RunState.UNKNOWN);
    }

    @Test
    void outputPastCapIsCutAndReported() throws Exception {
        BackendContext cappedContext = newContext("capped", Map.of("max-log-bytes", "1Ki"));
        Backend capped = openBackend(cappedContext);
        List<String> lines = IntStream.range(0, 500).mapToObj(i -> "line " + i).toList();
        RunHandle handle = launchOn(capped, request(Workload.exitingWith(0).printing(lines), LONG_TIMEOUT));
        BackendProbe cappedProbe = new BackendProbe(capped, stateTimeout());
        cappedProbe.awaitTerminal(handle, RUN_EXITS);

        String stdout = cappedProbe.readAll(handle, LogStream.STDOUT, 100, OUTPUT_IS_COMPLETE_AND_ORDERED);
        LogChunk first = capped.logs(handle, LogStream.STDOUT, 0, 10);

        assertThat(stdout).isEqualTo((String.join("\n", lines) + "\n").substring(0, 1024));
        assertThat(first.truncated()).isTrue();
        assertThat(first.cappedAt()).isEqualTo(1024);
        Path file = cappedContext.dataDirectory().resolve("runs").resolve(handle.attemptId()).resolve("stdout.log");
        assertThat(Files.size(file)).isEqualTo(1024);
    }

    @Test
    void outputUnderCapIsNotTruncated() throws Exception {
        RunHandle handle = launch(Workload.exitingWith(0).printing(List.of("short")));
        probe().awaitTerminal(handle, RUN_EXITS);

        LogChunk chunk = backend().logs(handle, LogStream.STDOUT, 0, 100);

        assertThat(chunk.truncated()).isFalse();
        assertThat(chunk.cappedAt()).isEqualTo(LocalProcessConfiguration.DEFAULT_MAX_LOG_BYTES);
        assertThat(chunk.complete()).isTrue();
    }

    @Test
    void exitIsRecordedOnDisk() throws Exception {
        RunHandle handle = launch(Workload.exitingWith(3));
        probe().awaitTerminal(handle, RUN_EXITS);

        Properties exit = new Properties();
        try (var in = Files.newInputStream(attemptDirectory(handle).resolve("exit.properties"))) {
            exit.load(in);
        }

        assertThat(exit).containsEntry("state", "EXITED").containsEntry("exit-code", "3").containsKey("ended-at");
    }

    @Test
    void closeLeavesRunningWorkAlive() throws Exception {
        RunHandle handle = launch(readyThenSleeping());
        AttemptRecord record = record(handle);

        backend().close();

        assertThat(ProcStat.isSameProcess(record.pid(), record.startTicks())).isTrue();
        track(openBackend(context()), handle);
    }

    @Test
    void restartedBackendStillEnforcesTimeout() throws Exception {
        RunHandle handle = launch(request(readyThenSleeping(), Duration.ofSeconds(2)));
        probe().awaitOutput(handle, LogStream.STDOUT, "ready", RESTART_FINDS_LIVE_RUNS);
        backend().close();

        Backend restarted = openBackend(context());
        track(restarted, handle);

        RunStatus status = new BackendProbe(restarted, stateTimeout()).awaitTerminal(handle, TIMEOUT_FIRES);
        assertThat(status.state()).isEqualTo(RunState.TIMED_OUT);
    }

    @Test
    void runOfAnotherParentIsFoundAgainAndReportedLostWhenItEnds() throws Exception {
        BackendContext other = newContext("other-parent", Map.of());
        RunHandle handle = recordForeignProcess(other, "2");

        Backend found = openBackend(other);
        track(found, handle);

        assertThat(found.runs()).contains(handle);
        RunStatus status = new BackendProbe(found, stateTimeout()).awaitTerminal(handle, RESTART_FINDS_LIVE_RUNS);
        assertThat(status.state()).isEqualTo(RunState.LOST);
        assertThat(status.exitCode()).isEmpty();
        assertThat(status.message()).contains("exit status unknown");
    }

    @Test
    void runOfAnotherParentCanBeCancelled() throws Exception {
        BackendContext other = newContext("other-parent", Map.of());
        RunHandle handle = recordForeignProcess(other, "60");
        Backend found = openBackend(other);
        track(found, handle);

        found.cancel(handle, SHORT_GRACE);

        RunStatus status = new BackendProbe(found, stateTimeout()).awaitTerminal(handle, CANCEL_ENDS_RUN);
        assertThat(status.state()).isEqualTo(RunState.CANCELLED);
        awaitGroupGone(pid(handle));
    }

    @Test
    void secondInstanceOnSameDataDirectoryIsRefused() {
        BackendException failure = failureOf(() -> createBackend(context()));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
    }

    @Test
    void launchIsRefusedWhenSlotsAreTaken() throws Exception {
        Backend oneSlot = openBackend(newContext("one-slot", Map.of("slots", "1")));
        RunHandle first = launchOn(oneSlot, request(readyThenSleeping(), LONG_TIMEOUT));

        BackendException failure = failureOf(() -> launchOn(oneSlot, request(Workload.exitingWith(0), LONG_TIMEOUT)));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.CAPACITY);
        assertThat(failure.isRetryable()).isTrue();
        assertThat(oneSlot.runs()).containsExactly(first);
    }

    @Test
    void slotIsFreedWhenRunEnds() throws Exception {
        Backend oneSlot = openBackend(newContext("one-slot", Map.of("slots", "1")));
        RunHandle first = launchOn(oneSlot, request(Workload.exitingWith(0), LONG_TIMEOUT));
        new BackendProbe(oneSlot, stateTimeout()).awaitTerminal(first, RUN_EXITS);

        RunHandle second = launchOn(oneSlot, request(Workload.exitingWith(0), LONG_TIMEOUT));

        assertThat(second.attemptId()).isNotEqualTo(first.attemptId());
    }

    @Test
    void requestBeyondTotalIsBadRequest() {
        LaunchRequest request = withResources(request(Workload.exitingWith(0), LONG_TIMEOUT), new Resources(1e6, 0, 0));

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
    }

    @Test
    void runHoldsItsResourcesUntilItEnds() throws Exception {
        Capacity before = backend().capacity();
        LaunchRequest request = withResources(request(readyThenSleeping(), LONG_TIMEOUT), new Resources(1, 1 << 20, 0));

        RunHandle handle = launch(request);
        Capacity during = backend().capacity();
        backend().cancel(handle, Duration.ZERO);
        probe().awaitTerminal(handle, CANCEL_ENDS_RUN);

        assertThat(during.freeSlots()).isEqualTo(before.freeSlots() - 1);
        assertThat(during.free().cpu()).isEqualTo(before.free().cpu() - 1);
        assertThat(during.free().memoryBytes()).isEqualTo(before.free().memoryBytes() - (1 << 20));
        assertThat(backend().capacity()).isEqualTo(before);
    }

    @Test
    void describeReportsTypeRegionAndLabels() throws Exception {
        Backend labelled = openBackend(newContext("labelled", Map.of("region", "lab", "labels", "tier=on-prem")));

        assertThat(labelled.describe().type()).isEqualTo("local-process");
        assertThat(labelled.describe().region()).isEqualTo("lab");
        assertThat(labelled.describe().labels()).isEqualTo(Map.of("tier", "on-prem"));
    }

    @Test
    void describeClaimsTheCapabilitiesOfLocalProcesses() {
        BackendCapabilities capabilities = backend().describe().capabilities();

        assertThat(capabilities).isEqualTo(new BackendCapabilities(false, true, true, false, true));
    }

    @Test
    void describeReportsNoPriceUnlessARateIsSet() {
        assertThat(backend().describe().price()).isEmpty();
    }

    @Test
    void describeReportsTheConfiguredPrice() throws Exception {
        Map<String, String> settings = Map.of("price-per-cpu-hour", "0.04", "currency", "EUR");

        Backend priced = openBackend(newContext("priced", settings));

        assertThat(priced.describe().price()).hasValue(new Price("EUR", 0.04, 0, 0, false));
    }

    @Test
    void envSecretWinsOverJobVariableOfTheSameName() throws Exception {
        Secret secret = randomSecret(Secret.Target.ENV);
        Workload workload = Workload.exitingWith(0).reportingSecret(secret.target(), secret.name());

        RunHandle handle = launch(request(
                workloadCommand(workload), Map.of(secret.name(), "job-value"), List.of(secret), LONG_TIMEOUT));

        assertThat(finishedStdout(handle)).isEqualTo(Workload.secretReport(secret.name(), secret.value()) + "\n");
    }

    @Test
    void runWithFileSecretsFindsTheirDirectoryInItsEnvironment() throws Exception {
        List<Secret> secrets = List.of(randomSecret(Secret.Target.FILE));

        RunHandle handle = launch(request(List.of("/usr/bin/env"), Map.of(), secrets, LONG_TIMEOUT));

        assertThat(finishedStdout(handle).lines())
                .contains("GANTRY_SECRETS_DIR=" + attemptDirectory(handle).resolve("secrets"));
    }

    @Test
    void fileSecretIsOwnerOnlyAndTheOnlyCopyOfAnySecretWhileRunning() throws Exception {
        Secret file = randomSecret(Secret.Target.FILE);
        Secret variable = randomSecret(Secret.Target.ENV);
        RunHandle handle = launch(
                request(workloadCommand(readyThenSleeping()), Map.of(), List.of(file, variable), LONG_TIMEOUT));
        probe().awaitOutput(handle, LogStream.STDOUT, "ready", LIVE_RUN_IS_NOT_TERMINAL);
        Path secrets = attemptDirectory(handle).resolve("secrets");

        String record = Files.readString(attemptDirectory(handle).resolve("run.properties"));

        assertThat(record).doesNotContain(file.value(), variable.value());
        assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(secrets.resolve(file.name())))
                .isEqualTo(PosixFilePermissions.fromString("r--------"));
        assertThat(Files.readString(secrets.resolve(file.name()))).isEqualTo(file.value());
        assertThat(filesContaining(context().dataDirectory(), file.value()))
                .containsExactly(secrets.resolve(file.name()));
        assertThat(filesContaining(context().dataDirectory(), variable.value())).isEmpty();
    }

    @Test
    void secretsAreGoneOnceRunExits() throws Exception {
        List<Secret> secrets = oneSecretOfEachTarget();
        RunHandle handle = launch(request(workloadCommand(Workload.exitingWith(0)), Map.of(), secrets, LONG_TIMEOUT));

        probe().awaitTerminal(handle, RUN_EXITS);

        assertSecretsGone(handle, secrets);
    }

    @Test
    void secretsAreGoneOnceCancelledRunEnds() throws Exception {
        List<Secret> secrets = oneSecretOfEachTarget();
        RunHandle handle = launch(request(workloadCommand(readyThenSleeping()), Map.of(), secrets, LONG_TIMEOUT));
        probe().awaitOutput(handle, LogStream.STDOUT, "ready", CANCEL_ENDS_RUN);

        backend().cancel(handle, SHORT_GRACE);

        probe().awaitTerminal(handle, CANCEL_ENDS_RUN);
        assertSecretsGone(handle, secrets);
    }

    @Test
    void secretsAreGoneOnceTimedOutRunEnds() throws Exception {
        List<Secret> secrets = oneSecretOfEachTarget();
        RunHandle handle = launch(
                request(workloadCommand(readyThenSleeping()), Map.of(), secrets, Duration.ofSeconds(1)));

        RunStatus status = probe().awaitTerminal(handle, TIMEOUT_FIRES);

        assertThat(status.state()).isEqualTo(RunState.TIMED_OUT);
        assertSecretsGone(handle, secrets);
    }

    @Test
    void launchThatFailsAfterPlacingSecretsLeavesNoneBehind() throws Exception {
        // Executable but neither a binary nor a script: posix_spawn itself fails, after the secrets are placed.
        Path notAProgram = Files.writeString(context().dataDirectory().resolve("not-a-program"), "plain text");
        Files.setPosixFilePermissions(notAProgram, PosixFilePermissions.fromString("rwx------"));
        List<Secret> secrets = oneSecretOfEachTarget();
        LaunchRequest request = request(List.of(notAProgram.toString()), Map.of(), secrets, LONG_TIMEOUT);

        BackendException failure = failureOf(() -> backend().launch(request));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains("Exec format error");
        assertThat(attemptDirectory(request.attemptId())).doesNotExist();
        for (Secret secret : secrets) {
            assertThat(failure.getMessage()).doesNotContain(secret.value());
            assertThat(filesContaining(context().dataDirectory(), secret.value())).isEmpty();
        }
    }

    @Test
    void openingBackendRemovesSecretsOfRunsThatEndedMeanwhile() throws Exception {
        BackendContext other = newContext("left-secrets", Map.of());
        Path runs = Files.createDirectories(other.dataDirectory().resolve("runs"));
        Secret secret = randomSecret(Secret.Target.FILE);
        AttemptFiles endRecorded = attemptWithSecret(runs, secret, true, true);
        AttemptFiles processGone = attemptWithSecret(runs, secret, true, false);
        AttemptFiles launchDied = attemptWithSecret(runs, secret, false, false);

        openBackend(other);

        assertThat(endRecorded.secretsDirectory()).doesNotExist();
        assertThat(processGone.secretsDirectory()).doesNotExist();
        assertThat(launchDied.secretsDirectory()).doesNotExist();
        assertThat(filesContaining(other.dataDirectory(), secret.value())).isEmpty();
    }

    @Test
    void secretValuesAppearInNoLogLineAndNoFailure() throws Exception {
        List<Secret> secrets = oneSecretOfEachTarget();
        List<String> logged;
        BackendException failure;
        try (CapturedLogs logs = new CapturedLogs()) {
            RunHandle exited = launch(
                    request(workloadCommand(Workload.exitingWith(0)), Map.of(), secrets, LONG_TIMEOUT));
            probe().awaitTerminal(exited, RUN_EXITS);
            RunHandle cancelled = launch(
                    request(workloadCommand(readyThenSleeping()), Map.of(), secrets, LONG_TIMEOUT));
            backend().cancel(cancelled, Duration.ZERO);
            probe().awaitTerminal(cancelled, CANCEL_ENDS_RUN);
            failure = failureOf(() -> backend().launch(
                    request(List.of("gantry-no-such-command"), Map.of(), secrets, LONG_TIMEOUT)));
            logged = logs.texts();
        }

        assertThat(logged).anyMatch(text -> text.startsWith("attempt launched"));
        for (Secret secret : secrets) {
            assertThat(logged).noneMatch(text -> text.contains(secret.value()));
            assertThat(failure.getMessage()).doesNotContain(secret.value());
        }
    }

    @Test
    void cancelKillsGrandchildThatLeftTheProcessGroup() throws Exception {
        Path backendCgroup = backendCgroupOrSkip(context());
        RunHandle handle = launch(escapingGrandchildRequest("sleep 600", LONG_TIMEOUT));
        Grandchild grandchild = awaitGrandchild(context(), handle);
        Path cgroup = backendCgroup.resolve(handle.attemptId());
        assertThat(Files.readAllLines(cgroup.resolve("cgroup.procs")))
                .contains(Integer.toString(pid(handle)), Integer.toString(grandchild.pid()));

        backend().cancel(handle, SHORT_GRACE);

        RunStatus status = probe().awaitTerminal(handle, CANCEL_ENDS_EVERYTHING);
        assertThat(status.state()).isEqualTo(RunState.CANCELLED);
        awaitProcessGone(grandchild);
        awaitAbsent(cgroup);
    }

    @Test
    void timeoutKillsGrandchildThatLeftTheProcessGroup() throws Exception {
        Path backendCgroup = backendCgroupOrSkip(context());
        RunHandle handle = launch(escapingGrandchildRequest("sleep 600", Duration.ofSeconds(1)));
        Grandchild grandchild = awaitGrandchild(context(), handle);

        RunStatus status = probe().awaitTerminal(handle, TIMEOUT_FIRES);

        assertThat(status.state()).isEqualTo(RunState.TIMED_OUT);
        awaitProcessGone(grandchild);
        awaitAbsent(backendCgroup.resolve(handle.attemptId()));
    }

    @Test
    void grandchildThatLeftTheProcessGroupIsKilledWhenTheRunExits() throws Exception {
        Path backendCgroup = backendCgroupOrSkip(context());
        String waitForTest = "while [ ! -e " + LEADER_MAY_EXIT_FILE + " ]; do sleep 0.05; done";
        RunHandle handle = launch(escapingGrandchildRequest(waitForTest, LONG_TIMEOUT));
        Grandchild grandchild = awaitGrandchild(context(), handle);

        Files.createFile(attemptDirectory(handle).resolve("work").resolve(LEADER_MAY_EXIT_FILE));

        RunStatus status = probe().awaitTerminal(handle, RUN_EXITS);
        assertThat(status.state()).isEqualTo(RunState.EXITED);
        assertThat(status.exitCode()).hasValue(0);
        awaitProcessGone(grandchild);
        awaitAbsent(backendCgroup.resolve(handle.attemptId()));
    }

    @Test
    void restartedBackendKillsGrandchildThatLeftTheProcessGroup() throws Exception {
        Path backendCgroup = backendCgroupOrSkip(context());
        RunHandle handle = launch(escapingGrandchildRequest("sleep 600", LONG_TIMEOUT));
        Grandchild grandchild = awaitGrandchild(context(), handle);
        backend().close();
        Backend restarted = openBackend(context());
        track(restarted, handle);

        restarted.cancel(handle, Duration.ZERO);

        new BackendProbe(restarted, stateTimeout()).awaitTerminal(handle, CANCEL_ENDS_EVERYTHING);
        awaitProcessGone(grandchild);
        awaitAbsent(backendCgroup.resolve(handle.attemptId()));
    }

    @Test
    void openingBackendRemovesCgroupsOfRunsThatEnded() throws Exception {
        BackendContext other = newContext("left-cgroup", Map.of());
        Path backendCgroup = backendCgroupOrSkip(other);
        Path runs = Files.createDirectories(other.dataDirectory().resolve("runs"));
        AttemptFiles ended = attemptWithSecret(runs, randomSecret(Secret.Target.FILE), true, true);
        Path cgroup = Files.createDirectory(backendCgroup.resolve(ended.directory().getFileName()));

        openBackend(other);

        awaitAbsent(cgroup);
    }

    @Test
    void withCgroupsOffGrandchildThatLeftTheProcessGroupOutlivesCancel() throws Exception {
        BackendContext off = newContext("cgroups-off", Map.of("cgroups", "off"));
        Backend backend = openBackend(off);
        RunHandle handle = launchOn(backend, escapingGrandchildRequest("sleep 600", LONG_TIMEOUT));
        Grandchild grandchild = awaitGrandchild(off, handle);
        try {
            backend.cancel(handle, Duration.ZERO);

            new BackendProbe(backend, stateTimeout()).awaitTerminal(handle, CANCEL_ENDS_RUN);
            awaitGroupGone(pid(handle));
            assertThat(grandchild.isAlive()).as("grandchild in a session of its own").isTrue();
            Optional<Path> root = BackendCgroup.defaultRoot(BackendCgroup.MOUNT_INFO);
            root.ifPresent(found -> assertThat(found.resolve(off.id()).resolve(handle.attemptId())).doesNotExist());
        } finally {
            ProcessHandle.of(grandchild.pid()).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void requiredCgroupsOnARootOutsideCgroup2FailCreation() throws Exception {
        Path notACgroup = context().dataDirectory().resolve("not-a-cgroup");
        BackendContext required = newContext(
                "cgroups-required", Map.of("cgroups", "required", "cgroup-root", notACgroup.toString()));

        BackendException failure = failureOf(() -> createBackend(required));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.UNAVAILABLE);
        assertThat(failure.getMessage()).contains("requires cgroups", notACgroup.toString(), "not cgroup2");
    }

    @Test
    void automaticCgroupsOnARootOutsideCgroup2FallBackWithOneWarning() throws Exception {
        Path notACgroup = context().dataDirectory().resolve("not-a-cgroup");
        BackendContext fallback = newContext("cgroups-fallback", Map.of("cgroup-root", notACgroup.toString()));
        List<String> logged;
        RunHandle handle;
        try (CapturedLogs logs = new CapturedLogs()) {
            Backend backend = openBackend(fallback);
            handle = launchOn(backend, request(Workload.exitingWith(0), LONG_TIMEOUT));
            new BackendProbe(backend, stateTimeout()).awaitTerminal(handle, RUN_EXITS);
            logged = logs.texts();
        }

        assertThat(logged).filteredOn(text -> text.startsWith("process containment limited to the process group"))
                .hasSize(1);
        assertThat(notACgroup).doesNotExist();
    }

    private RunHandle launchStubbornFamily(Duration timeout) throws Exception {
        RunHandle handle = launch(request(readyThenSleeping().spawningChild().ignoringStopRequest(), timeout));
        probe().awaitOutput(handle, LogStream.STDERR, Workload.CHILD_HEARTBEAT, CANCEL_ENDS_EVERYTHING);
        assertThat(liveGroupMembers(pid(handle))).as("processes of the attempt's group").hasSizeGreaterThan(1);
        return handle;
    }

    /**
     * A shell that starts a grandchild in a session of its own with {@code setsid}; the grandchild
     * writes its pid to {@value #GRANDCHILD_PID_FILE} in the workspace and sleeps, and the shell
     * goes on with {@code then}.
     */
    private LaunchRequest escapingGrandchildRequest(String then, Duration timeout) {
        String grandchild = "echo $$ > " + GRANDCHILD_PID_FILE + ".tmp && mv " + GRANDCHILD_PID_FILE + ".tmp "
                + GRANDCHILD_PID_FILE + " && exec sleep 1003";
        List<String> command = List.of("/bin/sh", "-c", "setsid sh -c '" + grandchild + "' &\n" + then);
        return request(command, Map.of(), List.of(), timeout);
    }

    /** Waits for the grandchild of an {@link #escapingGrandchildRequest} and checks it left the group. */
    private static Grandchild awaitGrandchild(BackendContext owner, RunHandle handle) throws IOException {
        Path pidFile = owner.dataDirectory().resolve("runs").resolve(handle.attemptId()).resolve("work")
                .resolve(GRANDCHILD_PID_FILE);
        long deadline = System.nanoTime() + PROCESS_END_TIMEOUT.toNanos();
        while (!Files.exists(pidFile)) {
            assertThat(System.nanoTime()).as("grandchild pid file %s written", pidFile).isLessThan(deadline);
            BackendProbe.pause();
        }
        int pid = Integer.parseInt(Files.readString(pidFile).trim());
        ProcStat stat = ProcStat.read(pid).orElseThrow();
        assertThat(stat.processGroup()).as("process group of the grandchild").isNotEqualTo(pid(handle));
        return new Grandchild(pid, stat.startTicks());
    }

    private static void awaitProcessGone(Grandchild grandchild) throws IOException {
        long deadline = System.nanoTime() + PROCESS_END_TIMEOUT.toNanos();
        while (grandchild.isAlive()) {
            assertThat(System.nanoTime()).as("grandchild %d still alive", grandchild.pid()).isLessThan(deadline);
            BackendProbe.pause();
        }
    }

    private static void awaitAbsent(Path cgroup) {
        long deadline = System.nanoTime() + PROCESS_END_TIMEOUT.toNanos();
        while (Files.exists(cgroup)) {
            assertThat(System.nanoTime()).as("cgroup %s still there", cgroup).isLessThan(deadline);
            BackendProbe.pause();
        }
    }

    /**
     * The cgroup directory a backend over {@code owner} uses on this host, or skips the test, saying
     * why, when the host has no usable cgroup2 mount.
     */
    private static Path backendCgroupOrSkip(BackendContext owner) throws IOException {
        Optional<Path> root = BackendCgroup.defaultRoot(BackendCgroup.MOUNT_INFO);
        assumeTrue(root.isPresent(), "no cgroup2 file system is mounted on this host; cgroup containment untested");
        try {
            return BackendCgroup.open(root.get(), owner.id()).directory();
        } catch (IOException e) {
            return Assumptions.abort("cgroup v2 is unusable on this host, cgroup containment untested: "
                    + e.getMessage());
        }
    }

    private RunHandle recordForeignProcess(BackendContext other, String sleepSeconds) throws Exception {
        int pid = startOrphan(sleepSeconds);
        long startTicks = ProcStat.read(pid).orElseThrow().startTicks();
        String attemptId = "foreign-" + UUID.randomUUID();
        Path runs = Files.createDirectories(other.dataDirectory().resolve("runs"));
        AttemptFiles files = new AttemptFiles(runs.resolve(attemptId));
        files.create(files.directory());
        AttemptRecord record = new AttemptRecord(attemptId, "job-" + attemptId, 1, pid, startTicks, Instant.now(),
                LONG_TIMEOUT, SMALL, Optional.empty());
        files.writeRecord(record);
        return record.handle();
    }

    private static int startOrphan(String sleepSeconds) throws Exception {
        // setsid makes the sleep lead its own session and group, like an attempt, and the shell
        // exits at once, so the process ends up with a parent other than this JVM.
        String script = "setsid sleep " + sleepSeconds + " >/dev/null 2>&1 & echo $!";
        Process shell = new ProcessBuilder("/bin/sh", "-c", script)
                .redirectErrorStream(true)
                .start();
        String pid = new String(shell.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertThat(shell.waitFor()).isZero();
        return Integer.parseInt(pid);
    }

    private String finishedStdout(RunHandle handle) {
        probe().awaitTerminal(handle, RUN_EXITS);
        return probe().readAll(handle, LogStream.STDOUT, 4096, OUTPUT_IS_COMPLETE_AND_ORDERED);
    }

    private AttemptRecord record(RunHandle handle) throws IOException {
        return new AttemptFiles(attemptDirectory(handle)).readRecord().orElseThrow();
    }

    private Path attemptDirectory(RunHandle handle) {
        return attemptDirectory(handle.attemptId());
    }

    private Path attemptDirectory(String attemptId) {
        return context().dataDirectory().resolve("runs").resolve(attemptId);
    }

    private static int pid(RunHandle handle) {
        return Integer.parseInt(handle.reference().split(":")[1]);
    }

    private static void awaitGroupGone(int processGroup) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!liveGroupMembers(processGroup).isEmpty()) {
            assertThat(System.nanoTime())
                    .as("processes of group %d still alive: %s", processGroup, liveGroupMembers(processGroup))
                    .isLessThan(deadline);
            BackendProbe.pause();
        }
    }

    private static List<Integer> liveGroupMembers(int processGroup) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            List<Integer> pids = entries.map(entry -> entry.getFileName().toString())
                    .filter(name -> name.chars().allMatch(Character::isDigit))
                    .map(Integer::valueOf)
                    .toList();
            List<Integer> members = new ArrayList<>();
            for (int pid : pids) {
                Optional<ProcStat> stat = ProcStat.read(pid);
                if (stat.isPresent() && stat.get().processGroup() == processGroup && stat.get().state() != 'Z') {
                    members.add(pid);
                }
            }
            return members;
        }
    }

    private LaunchRequest request(List<String> command, Map<String, String> env, String workingDirectory) {
        String attemptId = "local-" + UUID.randomUUID();
        return new LaunchRequest(attemptId, "job-" + attemptId, 1, command, env, workingDirectory, SMALL, LONG_TIMEOUT,
                Map.of(), List.of());
    }

    private LaunchRequest request(
            List<String> command, Map<String, String> env, List<Secret> secrets, Duration timeout) {
        String attemptId = "local-" + UUID.randomUUID();
        return new LaunchRequest(
                attemptId, "job-" + attemptId, 1, command, env, "", SMALL, timeout, Map.of(), secrets);
    }

    private static LaunchRequest withAttemptId(LaunchRequest request, String attemptId) {
        return new LaunchRequest(
                attemptId,
                request.jobId(),
                request.attempt(),
                request.command(),
                request.env(),
                request.workingDirectory(),
                request.resources(),
                request.timeout(),
                request.labels(),
                request.secrets());
    }

    private static List<Secret> oneSecretOfEachTarget() {
        return List.of(randomSecret(Secret.Target.ENV), randomSecret(Secret.Target.FILE));
    }

    private void assertSecretsGone(RunHandle handle, List<Secret> secrets) throws IOException {
        assertThat(attemptDirectory(handle).resolve("secrets")).doesNotExist();
        for (Secret secret : secrets) {
            assertThat(filesContaining(context().dataDirectory(), secret.value()))
                    .as("files holding secret %s", secret.name())
                    .isEmpty();
        }
    }

    /** Every file under {@code root} whose bytes contain {@code value}, as grep -rl would list them. */
    private static List<Path> filesContaining(Path root, String value) throws IOException {
        String needle = new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        List<Path> found = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(Files::isRegularFile).toList()) {
                String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                if (content.contains(needle)) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    /**
     * An attempt directory as a crash may leave it, holding {@code secret} as a file secret:
     * with or without its record, and with or without its end recorded. A record names a process
     * that has ended already.
     */
    private static AttemptFiles attemptWithSecret(Path runs, Secret secret, boolean recorded, boolean ended)
            throws Exception {
        String attemptId = "left-" + UUID.randomUUID();
        AttemptFiles files = new AttemptFiles(runs.resolve(attemptId));
        files.create(files.workspace());
        files.writeSecrets(List.of(secret));
        if (recorded) {
            files.writeRecord(new AttemptRecord(attemptId, "job-" + attemptId, 1, endedProcessId(), 1,
                    Instant.now(), LONG_TIMEOUT, SMALL, Optional.empty()));
        }
        if (ended) {
            files.writeExit(new ExitRecord(
                    RunState.EXITED, OptionalInt.of(0), Optional.empty(), Instant.now(), "exited with code 0"));
        }
        return files;
    }

    private static int endedProcessId() throws Exception {
        Process process = new ProcessBuilder("/bin/true").start();
        assertThat(process.waitFor()).isZero();
        return Math.toIntExact(process.pid());
    }

    private static String secretReportCommand(Workload.SecretReport report) {
        String name = report.name();
        String file = "\"$" + ChildEnvironment.SECRETS_DIRECTORY + "/" + name + "\"";
        String present = switch (report.target()) {
            case ENV -> "[ -n \"${" + name + "+set}\" ]";
            case FILE -> "[ -r " + file + " ]";
        };
        String value = switch (report.target()) {
            case ENV -> "printf %s \"$" + name + "\"";
            case FILE -> "cat " + file;
        };
        return "if " + present + "; then printf 'secret " + name + " sha256 %s\\n' \"$(" + value
                + " | sha256sum | cut -d ' ' -f 1)\"; else printf 'secret " + name + " missing\\n'; fi";
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%d.%03d", duration.toSeconds(), duration.toMillisPart());
    }

    /** A process identified beyond its pid, so that a recycled pid is never taken for it. */
    private record Grandchild(int pid, long startTicks) {

        /** Whether it runs still; a zombie has ended. */
        boolean isAlive() throws IOException {
            return ProcStat.read(pid)
                    .filter(stat -> stat.startTicks() == startTicks && stat.state() != 'Z')
                    .isPresent();
        }
    }
}
