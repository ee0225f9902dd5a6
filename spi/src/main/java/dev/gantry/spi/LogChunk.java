package dev.gantry.spi;

/**
 * A piece of one output stream of a run.
 *
 * @param offset where {@code data} starts in the stream
 * @param data the bytes read, possibly none
 * @param truncated the backend stopped keeping this stream at its size cap, so output past
 *     {@link #cappedAt()} is lost
 * @param cappedAt the size cap in bytes that applies to this stream
 * @param complete no more output will ever follow {@code offset + data.length}, because the run
 *     has ended
 * @since 1.0
 */
public record LogChunk(long offset, byte[] data, boolean truncated, long cappedAt, boolean complete) {

    public LogChunk {
        data = data.clone();
    }

    /** The offset to read from next. */
    public long nextOffset() {
        return offset + data.length;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }
}
