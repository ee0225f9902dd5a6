package dev.gantry.examples.federation.internal;

import dev.gantry.spi.Capacity;
import dev.gantry.spi.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The forwarded runs this backend believes are live, by attempt id, with what each holds. Capacity
 * is computed from them without asking the remote, because the scheduler asks before every
 * placement. A launch reserves its room before the remote is called and confirms it with the
 * remote job id, or releases it on failure; status and listing calls add runs found again after a
 * restart and drop runs that ended. Thread-safe.
 */
public final class LiveRuns {

    private final Resources total;
    private final int totalSlots;
    private final Map<String, Run> runs = new HashMap<>();

    /** Live runs of a backend that may hold {@code totalSlots} runs using at most {@code total}. */
    public LiveRuns(Resources total, int totalSlots) {
        this.total = total;
        this.totalSlots = totalSlots;
    }

    /** The remote job id of a live, confirmed run of this attempt. */
    public synchronized Optional<String> remoteJobOf(String attemptId) {
        Run run = runs.get(attemptId);
        return run == null ? Optional.empty() : Optional.ofNullable(run.remoteJobId());
    }

    /**
     * Reserves room for a run of {@code attemptId}; true when there was room or the attempt already
     * holds some, false when launching it now would exceed the slots or resources.
     */
    public synchronized boolean reserve(String attemptId, Resources resources) {
        if (runs.containsKey(attemptId)) {
            return true;
        }
        if (!capacity().admits(resources)) {
            return false;
        }
        runs.put(attemptId, new Run(null, resources));
        return true;
    }

    /** Records the remote job a reserved or found run of {@code attemptId} is. */
    public synchronized void confirm(String attemptId, String remoteJobId, Resources resources) {
        runs.put(attemptId, new Run(remoteJobId, resources));
    }

    /** Gives back the room reserved for {@code attemptId} unless a run was confirmed for it. */
    public synchronized void release(String attemptId) {
        Run run = runs.get(attemptId);
        if (run != null && run.remoteJobId() == null) {
            runs.remove(attemptId);
        }
    }

    /** Forgets the run of {@code attemptId}, which has ended or is gone. */
    public synchronized void ended(String attemptId) {
        runs.remove(attemptId);
    }

    /** Capacity left: the slots and resources not held by live or reserved runs. */
    public synchronized Capacity capacity() {
        Resources held = runs.values().stream().map(Run::resources).reduce(Resources.NONE, Resources::plus);
        return new Capacity(total.minus(held), total, Math.max(0, totalSlots - runs.size()), totalSlots);
    }

    private record Run(String remoteJobId, Resources resources) {
    }
}
