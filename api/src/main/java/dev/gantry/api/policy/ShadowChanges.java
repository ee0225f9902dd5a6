package dev.gantry.api.policy;

import dev.gantry.api.policy.ShadowReport.Change;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * The most recent changes a candidate would make, newest first, holding at most a fixed number so a
 * candidate left in shadow for long cannot fill the memory; older ones are dropped. Thread-safe:
 * added to from the shadow's threads, read from request threads.
 */
final class ShadowChanges {

    private final int capacity;
    private final Deque<Change> newestFirst = new ArrayDeque<>();

    ShadowChanges(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Keeps {@code change} as the newest, dropping the oldest when full. */
    synchronized void add(Change change) {
        newestFirst.addFirst(change);
        if (newestFirst.size() > capacity) {
            newestFirst.removeLast();
        }
    }

    /** Up to {@code limit} of the kept changes, newest first. */
    synchronized List<Change> newest(int limit) {
        List<Change> newest = new ArrayList<>(Math.min(limit, newestFirst.size()));
        Iterator<Change> changes = newestFirst.iterator();
        while (newest.size() < limit && changes.hasNext()) {
            newest.add(changes.next());
        }
        return newest;
    }
}
