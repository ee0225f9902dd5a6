package dev.gantry.backends.local.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup v2 of one attempt. Its main process is moved in right after it starts, and every
 * process it starts afterwards is born inside, whatever session or process group it makes for
 * itself, so {@code cgroup.kill} ends them all at once. Membership is kept by the kernel and
 * cannot be recycled like a pid, so killing an attempt's cgroup is always safe.
 *
 * <p>The move happens after {@code posix_spawn} returns, which is only once the process has
 * executed its program, because the glibc the backend is built for (2.36) has no
 * {@code posix_spawnattr_setcgroup_np} and {@code clone3} with {@code CLONE_INTO_CGROUP} is not
 * safe to call from a JVM. A program can fork within that time (a shell starting a background
 * job does), so the descendants the main process has by then are moved in after it, pass after
 * pass until a pass finds none left outside. What still escapes is a process that detaches in
 * those few hundred microseconds and whose parent ends before the pass that would find it: it is
 * reparented away from the attempt, outside the cgroup, and contained by nothing.
 */
public final class AttemptCgroup {

    /** The file that lists a cgroup's processes, and moves a process in when its pid is written. */
    static final String PROCESSES = "cgroup.procs";
    /** The file that kills every process of a cgroup when {@code 1} is written. */
    static final String KILL = "cgroup.kill";

    private static final Logger LOG = LoggerFactory.getLogger(AttemptCgroup.class);
    private static final int MAX_DESCENDANT_PASSES = 10;

    private final String attemptId;
    private final Path directory;

    AttemptCgroup(String attemptId, Path directory) {
        this.attemptId = attemptId;
        this.directory = directory;
    }

    /** The attempt whose cgroup this is. */
    public String attemptId() {
        return attemptId;
    }

    /** The cgroup's directory. */
    public Path directory() {
        return directory;
    }

    /** Whether the cgroup exists. */
    public boolean exists() {
        return Files.isDirectory(directory);
    }

    /** Creates the cgroup unless it exists. */
    public void create() throws IOException {
        Files.createDirectories(directory);
    }

    /**
     * Moves process {@code pid} into the cgroup, then the descendants it started meanwhile. Fails
     * when {@code pid} cannot be moved; a descendant that cannot, because it ended, is passed over.
     */
    public void add(int pid) throws IOException {
        write(PROCESSES, Integer.toString(pid));
        Set<Integer> moved = new HashSet<>();
        for (int pass = 0; pass < MAX_DESCENDANT_PASSES; pass++) {
            Set<Integer> found = ProcessTree.descendants(pid);
            found.removeAll(moved);
            if (found.isEmpty()) {
                return;
            }
            found.forEach(this::addDescendant);
            moved.addAll(found);
        }
        LOG.warn("attempt descendants still appearing after moves attempt={} passes={}",
                attemptId, MAX_DESCENDANT_PASSES);
    }

    /**
     * Kills every process in the cgroup, and does nothing when the cgroup does not exist. Returns
     * without waiting for them to end. A failure is logged, not thrown: the process group is still
     * signalled, and a caller can do nothing better.
     */
    public void kill() {
        try {
            write(KILL, "1");
        } catch (NoSuchFileException e) {
            LOG.debug("attempt cgroup absent, nothing to kill attempt={}", attemptId);
        } catch (IOException e) {
            LOG.warn("attempt cgroup not killed attempt={} directory={}", attemptId, directory, e);
        }
    }

    /**
     * Removes the cgroup, or fails while processes are still in it; they take a moment to leave
     * after {@link #kill()}. Succeeds when the cgroup is gone already.
     */
    public void remove() throws IOException {
        try {
            // rmdir, which the kernel allows on a cgroup with no process and no child cgroup.
            Files.delete(directory);
        } catch (NoSuchFileException e) {
            // Removed before: what this call is for.
        }
    }

    private void addDescendant(int pid) {
        try {
            write(PROCESSES, Integer.toString(pid));
        } catch (IOException e) {
            // It ended since the tree was read: nothing left to contain.
            LOG.debug("attempt descendant not moved to cgroup attempt={} pid={}", attemptId, pid);
        }
    }

    private void write(String file, String value) throws IOException {
        // WRITE alone: a cgroup's files are made by the kernel, never by us.
        Files.write(directory.resolve(file), value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    }
}
