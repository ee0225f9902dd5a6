package dev.gantry.backends.tck;

import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunListener;
import dev.gantry.spi.RunStatus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link RunListener} that keeps every status change it is told about, in the order it was
 * told, for tests to inspect. Safe to call from any thread.
 *
 * @since 0.1
 */
public final class RecordingRunListener implements RunListener {

    private final List<Change> changes = new CopyOnWriteArrayList<>();

    @Override
    public void statusChanged(RunHandle handle, RunStatus status) {
        changes.add(new Change(handle, status));
    }

    /** Every change recorded so far, oldest first. */
    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /** The statuses recorded so far for the run of {@code attemptId}, oldest first. */
    public List<RunStatus> statusesOf(String attemptId) {
        return changes.stream()
                .filter(change -> change.handle().attemptId().equals(attemptId))
                .map(Change::status)
                .toList();
    }

    /**
     * One status change as the backend reported it.
     *
     * @param handle the run that changed
     * @param status its new status
     */
    public record Change(RunHandle handle, RunStatus status) {
    }
}
