package dev.gantry.backends.local.internal;

import dev.gantry.spi.LogChunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * One output stream of an attempt, kept to a size cap.
 *
 * <p>The process writes straight into the file (opened for appending), so nothing can stop a
 * single write at the cap: {@code RLIMIT_FSIZE} would kill the process instead. The cap is held in
 * two ways. Reads never return a byte past it, so what callers see is exact. And the backend
 * truncates the file back to the cap every second while the attempt lives and once when it ends;
 * with append mode, later writes land at the new end and are cut again, so the disk holds at most
 * the cap plus about a second of output. A marker file beside the log remembers that output was
 * cut, because a truncated file alone cannot tell.
 */
public final class CappedLog {

    private final Path file;
    private final Path truncatedMarker;
    private final long capBytes;

    CappedLog(Path file, Path truncatedMarker, long capBytes) {
        this.file = file;
        this.truncatedMarker = truncatedMarker;
        this.capBytes = capBytes;
    }

    /**
     * Reads at most {@code maxBytes} from {@code offset}, never past the cap. The chunk is complete
     * when {@code ended} (the attempt and its process group are gone) and the read reached the
     * end.
     */
    public LogChunk read(long offset, int maxBytes, boolean ended) throws IOException {
        long size = size();
        long end = Math.min(size, capBytes);
        boolean truncated = size > capBytes || Files.exists(truncatedMarker);
        int length = (int) Math.max(0, Math.min(maxBytes, end - offset));
        byte[] data = readAt(offset, length);
        boolean complete = ended && offset + data.length >= end;
        return new LogChunk(offset, data, truncated, capBytes, complete);
    }

    /** Cuts the file back to the cap when it has grown past it. */
    public void enforceCap() throws IOException {
        if (size() <= capBytes) {
            return;
        }
        // Marked before cutting, so a reader that sees the cut file also sees the mark.
        try {
            Files.createFile(truncatedMarker);
        } catch (FileAlreadyExistsException e) {
            // Cut before; the mark is already there.
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(capBytes);
        }
    }

    private long size() throws IOException {
        try {
            return Files.size(file);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private byte[] readAt(long offset, int length) throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            int read = 0;
            while (buffer.hasRemaining() && read >= 0) {
                read = channel.read(buffer, offset + buffer.position());
            }
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
