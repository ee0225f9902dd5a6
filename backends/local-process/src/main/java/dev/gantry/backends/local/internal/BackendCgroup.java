package dev.gantry.backends.local.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cgroup v2 directory of one backend, {@code <root>/<backend id>}, under which each attempt
 * gets a cgroup of its own named by its attempt id. The directory is created when the backend
 * opens and removed when it closes empty; only the attempts' cgroups come and go in between.
 *
 * <p>No controller is enabled for these cgroups, so they contain and account for processes but
 * limit nothing.
 */
public final class BackendCgroup {

    private static final Logger LOG = LoggerFactory.getLogger(BackendCgroup.class);

    /** Where the kernel describes the mounts this process sees. */
    public static final Path MOUNT_INFO = Path.of("/proc/self/mountinfo");

    private static final String CGROUP2 = "cgroup2";
    private static final String DEFAULT_ROOT_NAME = "gantry";
    private static final String MOUNT_INFO_SEPARATOR = " - ";
    private static final int MOUNT_POINT_FIELD = 4;

    private final Path directory;

    private BackendCgroup(Path directory) {
        this.directory = directory;
    }

    /**
     * The default root: {@code gantry} in the first cgroup2 mount {@code mountInfo} lists, in the
     * format of {@code /proc/self/mountinfo}; nothing when there is none.
     */
    public static Optional<Path> defaultRoot(Path mountInfo) throws IOException {
        List<String> lines = Files.readAllLines(mountInfo, StandardCharsets.UTF_8);
        for (String line : lines) {
            int separator = line.indexOf(MOUNT_INFO_SEPARATOR);
            if (separator < 0) {
                continue;
            }
            String[] before = line.substring(0, separator).split(" ");
            String[] after = line.substring(separator + MOUNT_INFO_SEPARATOR.length()).split(" ");
            if (after[0].equals(CGROUP2) && before.length > MOUNT_POINT_FIELD) {
                return Optional.of(Path.of(unescape(before[MOUNT_POINT_FIELD])).resolve(DEFAULT_ROOT_NAME));
            }
        }
        return Optional.empty();
    }

    /**
     * Opens the directory of backend {@code backendId} under {@code root}, creating both as
     * needed. Fails, saying why, unless {@code root} is on a cgroup2 file system, the kernel
     * offers {@code cgroup.kill} (Linux 5.14 or later) and this process may write there.
     */
    public static BackendCgroup open(Path root, String backendId) throws IOException {
        if (!AttemptIds.isValid(backendId)) {
            throw new IOException("backend id '" + backendId + "' is not a safe cgroup name");
        }
        String fileSystem = Files.getFileStore(nearestExisting(root)).type();
        if (!fileSystem.equals(CGROUP2)) {
            throw new IOException(root + " is on a " + fileSystem + " file system, not " + CGROUP2);
        }
        Path directory = Files.createDirectories(root.resolve(backendId));
        if (!Files.exists(directory.resolve(AttemptCgroup.KILL))) {
            throw new IOException(directory + " lacks " + AttemptCgroup.KILL + ", which needs Linux 5.14 or later");
        }
        if (!Files.isWritable(directory) || !Files.isWritable(directory.resolve(AttemptCgroup.PROCESSES))) {
            throw new IOException(directory + " is not writable by this process");
        }
        return new BackendCgroup(directory);
    }

    /** The backend's cgroup directory. */
    public Path directory() {
        return directory;
    }

    /**
     * Removes the backend's cgroup directory when no attempt cgroup is left in it, so a backend that
     * closes with nothing running leaves nothing behind; the next open creates it again.
     */
    public void removeIfEmpty() {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // Not empty, or still in use by a run that survives the close: it is kept for the next open.
            LOG.debug("backend cgroup kept directory={} reason={}", directory, e.toString());
        }
    }

    /** The cgroup of attempt {@code attemptId}, which may or may not exist. */
    public AttemptCgroup attempt(String attemptId) {
        return new AttemptCgroup(attemptId, directory.resolve(attemptId));
    }

    private static Path nearestExisting(Path path) throws IOException {
        Path existing = path.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw new IOException("no part of " + path + " exists");
        }
        return existing;
    }

    /** Undoes the octal escapes ({@code \040} for a space) mountinfo writes in paths. */
    private static String unescape(String field) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && isOctal(field, i + 1)) {
                text.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }

    private static boolean isOctal(String text, int start) {
        return text.substring(start, start + 3).chars().allMatch(c -> c >= '0' && c <= '7');
    }
}
