package dev.gantry.backends.local.internal;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises work on the same attempt id, such as two concurrent launches of one attempt, with a
 * fixed set of lock stripes: the same id always maps to the same lock, and memory stays bounded
 * however many attempts come and go. Different ids may share a stripe, which only serialises two
 * short launches.
 */
public final class AttemptLocks {

    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    /** Creates the stripes. */
    public AttemptLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The lock that guards {@code attemptId}. */
    public ReentrantLock of(String attemptId) {
        return stripes[Math.floorMod(attemptId.hashCode(), STRIPES)];
    }
}
