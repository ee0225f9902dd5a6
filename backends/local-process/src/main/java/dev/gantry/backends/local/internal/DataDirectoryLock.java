package dev.gantry.backends.local.internal;

import dev.gantry.spi.BackendException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lock on a backend's data directory ({@code backend.lock}), which keeps a second backend
 * instance, in this JVM or another, from reaping and signalling the same attempts.
 */
public final class DataDirectoryLock {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryLock.class);

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code dataDirectory}, creating the directory when missing. Fails with
     * {@link BackendException.Kind#UNAVAILABLE} when another instance holds it.
     */
    public static DataDirectoryLock acquire(Path dataDirectory) throws BackendException {
        try {
            Files.createDirectories(dataDirectory);
            FileChannel channel = FileChannel.open(
                    dataDirectory.resolve("backend.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new BackendException(BackendException.Kind.UNAVAILABLE,
                        "data directory " + dataDirectory + " is in use by another backend instance");
            }
            return new DataDirectoryLock(channel, lock);
        } catch (IOException e) {
            throw new BackendException(BackendException.Kind.UNAVAILABLE,
                    "cannot lock data directory " + dataDirectory + ": " + e.getMessage(), e);
        }
    }

    /** Gives the lock back. */
    public void release() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            LOG.warn("data directory lock not released", e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Held by another instance in this JVM: the same answer as a lock held elsewhere.
            return null;
        }
    }
}
