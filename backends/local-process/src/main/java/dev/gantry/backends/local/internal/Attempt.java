package dev.gantry.backends.local.internal;

import com.sun.jna.Native;
import com.sun.jna.ptr.IntByReference;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunListener;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt the backend holds: its record, the stop under way and, once it has ended, how.
 *
 * <p>Every change happens under the attempt's own lock, and the end is recorded in the same locked
 * step that reaps the process. So while an attempt has not ended, a process this JVM parents is
 * still unreaped and its pid, which is also its process group id, cannot name anyone else: signals
 * to the group are safe. For a process found again after a restart and parented elsewhere, the
 * start time is checked before each signal instead.
 *
 * <p>An attempt with a cgroup has it killed whenever its process group is killed, and once more
 * when its main process ends, so processes that left the group in a session of their own go too.
 */
public final class Attempt {

    private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);
    private static final LibC LIBC = LibC.INSTANCE;

    private final AttemptFiles files;
    private final boolean parentedHere;
    private final Optional<AttemptCgroup> cgroup;
    private final List<Future<?>> timers = new ArrayList<>();
    private AttemptRecord record;
    private ExitRecord exit;
    private boolean exitRecorded;

    private Attempt(
            AttemptFiles files,
            AttemptRecord record,
            Optional<AttemptCgroup> cgroup,
            boolean parentedHere,
            ExitRecord exit) {
        this.files = files;
        this.record = record;
        this.cgroup = cgroup;
        this.parentedHere = parentedHere;
        this.exit = exit;
        this.exitRecorded = exit != null;
    }

    /**
     * An attempt whose process this JVM started, or found again as its parent, so that it may and
     * must collect the exit status; contained in {@code cgroup} when there is one.
     */
    public static Attempt parented(AttemptFiles files, AttemptRecord record, Optional<AttemptCgroup> cgroup) {
        return new Attempt(files, record, cgroup, true, null);
    }

    /**
     * An attempt found again whose process has another parent, so its exit status is out of reach;
     * contained in {@code cgroup} when there is one.
     */
    public static Attempt foreign(AttemptFiles files, AttemptRecord record, Optional<AttemptCgroup> cgroup) {
        return new Attempt(files, record, cgroup, false, null);
    }

    /** An attempt that ended before, read back from its records. */
    public static Attempt ended(AttemptFiles files, AttemptRecord record, ExitRecord exit) {
        return new Attempt(files, record, Optional.empty(), false, exit);
    }

    /** The attempt's files. */
    public AttemptFiles files() {
        return files;
    }

    /** The attempt's cgroup, if it has one. */
    public Optional<AttemptCgroup> cgroup() {
        return cgroup;
    }

    /** The attempt's record as it is now. */
    public synchronized AttemptRecord record() {
        return record;
    }

    /** The handle issued for the attempt. */
    public RunHandle handle() {
        return record().handle();
    }

    /** Whether the attempt has ended; its status will not change again. */
    public synchronized boolean hasEnded() {
        return exit != null;
    }

    /** Whether the end is on disk, so the attempt can be read back from there. */
    public synchronized boolean isEndRecorded() {
        return exitRecorded;
    }

    /** The attempt's status now. */
    public synchronized RunStatus status() {
        Optional<Instant> startedAt = Optional.of(record.startedAt());
        if (exit != null) {
            Optional<Instant> endedAt = Optional.of(exit.endedAt());
            return new RunStatus(exit.state(), exit.exitCode(), exit.signal(), startedAt, endedAt, exit.message());
        }
        String message = record.stop().map(stop -> "stopping: " + describeReason(stop.reason())).orElse("");
        return new RunStatus(
                RunState.RUNNING, OptionalInt.empty(), Optional.empty(), startedAt, Optional.empty(), message);
    }

    /**
     * Tells {@code listener} the attempt's status now. Holds the attempt's lock meanwhile, so that
     * the reports of one attempt arrive in the order its status changed.
     */
    public synchronized void report(RunListener listener) {
        listener.statusChanged(record.handle(), status());
    }

    /** Keeps {@code timer} to cancel it when the attempt ends. */
    public synchronized void addTimer(Future<?> timer) {
        if (exit != null) {
            timer.cancel(false);
            return;
        }
        timers.add(timer);
    }

    /**
     * Starts stopping the attempt for {@code reason}: the first request sends SIGTERM to the process
     * group (SIGKILL to the group and the cgroup when {@code grace} is zero); a later one may only
     * bring the forced stop forward. Returns the stop to force at its {@link StopRequest#killAt()},
     * or nothing when the attempt has ended or the stop is unchanged.
     */
    public synchronized Optional<StopRequest> requestStop(RunState reason, Duration grace, Instant now) {
        if (exit != null) {
            return Optional.empty();
        }
        Instant killAt = now.plus(grace);
        Optional<StopRequest> current = record.stop();
        StopRequest stop = current.map(existing -> existing.killingBy(killAt))
                .orElseGet(() -> new StopRequest(reason, now, killAt));
        if (current.equals(Optional.of(stop))) {
            return Optional.empty();
        }
        record = record.stopping(stop);
        if (current.isEmpty()) {
            signalFirstStop(grace);
        }
        persistRecord();
        return Optional.of(stop);
    }

    /** Kills the process group and the cgroup unless the attempt has ended. */
    public synchronized void forceStop() {
        if (exit == null) {
            kill();
        }
    }

    /**
     * Records the end of the attempt once its process has ended: reaps it when this JVM is its
     * parent, kills whatever it left in its process group and its cgroup, decides the terminal
     * state, writes it
     * to disk and removes the attempt's file secrets. {@code settle} runs in the same locked step,
     * before the end becomes visible, for the caller's own bookkeeping: nobody sees the attempt
     * ended while, say, it still holds capacity or secrets. Returns the end, or nothing when it
     * was already recorded.
     */
    public synchronized Optional<ExitRecord> finish(Instant now, Runnable settle) {
        if (exit != null) {
            return Optional.empty();
        }
        Optional<WaitStatus> status = parentedHere ? reap() : Optional.empty();
        // Before the end is recorded, so that a recorded end means nothing of the attempt is left.
        cgroup.ifPresent(AttemptCgroup::kill);
        settle.run();
        exit = decideEnd(status, now);
        timers.forEach(timer -> timer.cancel(false));
        timers.clear();
        exitRecorded = persistExit();
        removeSecrets();
        return Optional.of(exit);
    }

    private Optional<WaitStatus> reap() {
        int pid = record.pid();
        // The group leader is a zombie until reaped, so its pid still names only this group:
        // anything the attempt left behind goes now, before the pid can be recycled.
        LIBC.kill(-pid, LibC.SIGKILL);
        IntByReference status = new IntByReference();
        int result;
        do {
            result = LIBC.waitpid(pid, status, 0);
        } while (result < 0 && Native.getLastError() == LibC.EINTR);
        if (result != pid) {
            // Only code that waits for any child could have taken it; the end is still recorded.
            LOG.error("INVARIANT attempt exit status taken by another waiter attempt={} pid={} errno={}",
                    record.attemptId(), pid, Native.getLastError());
            return Optional.empty();
        }
        return Optional.of(WaitStatus.decode(status.getValue()));
    }

    private ExitRecord decideEnd(Optional<WaitStatus> status, Instant now) {
        OptionalInt exitCode = status.stream().mapToInt(WaitStatus::exitCode).findFirst();
        Optional<String> signal = status.flatMap(WaitStatus::signal);
        Optional<RunState> stopReason = record.stop().map(StopRequest::reason);
        RunState state = stopReason.orElse(status.isPresent() ? RunState.EXITED : RunState.LOST);
        return new ExitRecord(state, exitCode, signal, now, endMessage(state, status));
    }

    private String endMessage(RunState state, Optional<WaitStatus> status) {
        String how = status.map(Attempt::describeEnd)
                .orElse("exit status unknown: the backend was not the parent of the process");
        return state == RunState.EXITED ? how : describeReason(state) + "; " + how;
    }

    private String describeReason(RunState reason) {
        return switch (reason) {
            case CANCELLED -> "cancelled";
            case TIMED_OUT -> "timed out after " + record.timeout();
            case LOST -> "ended while no backend watched it";
            case EXITED, STARTING, RUNNING, UNKNOWN -> reason.name().toLowerCase(Locale.ROOT);
        };
    }

    private static String describeEnd(WaitStatus status) {
        return status.signal()
                .map(signal -> "killed by " + signal)
                .orElseGet(() -> "exited with code " + status.exitCode());
    }

    private void signalFirstStop(Duration grace) {
        if (grace.isZero()) {
            kill();
        } else {
            signalGroup(LibC.SIGTERM);
        }
    }

    private void kill() {
        signalGroup(LibC.SIGKILL);
        cgroup.ifPresent(AttemptCgroup::kill);
    }

    private void signalGroup(int signal) {
        if (!parentedHere && !isStillTheSameProcess()) {
            return;
        }
        // ESRCH only means the group is gone already; the reaper records the end.
        LIBC.kill(-record.pid(), signal);
    }

    private boolean isStillTheSameProcess() {
        try {
            return ProcStat.isSameProcess(record.pid(), record.startTicks());
        } catch (IOException e) {
            LOG.warn("attempt process unreadable attempt={} pid={}", record.attemptId(), record.pid(), e);
            return false;
        }
    }

    private void persistRecord() {
        try {
            files.writeRecord(record);
        } catch (IOException e) {
            // The stop goes on in this instance; only a restarted backend would not know of it.
            LOG.warn("attempt stop not recorded attempt={}", record.attemptId(), e);
        }
    }

    private boolean persistExit() {
        try {
            files.writeExit(exit);
            return true;
        } catch (IOException e) {
            LOG.error("attempt exit not recorded attempt={}", record.attemptId(), e);
            return false;
        }
    }

    private void removeSecrets() {
        try {
            files.deleteSecrets();
        } catch (IOException e) {
            // The next backend over this data directory removes them when it opens.
            LOG.warn("attempt secrets not removed attempt={}", record.attemptId(), e);
        }
    }
}
