package dev.gantry.policy.embedded.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads the regular files of a gzip-compressed tar archive, as written by {@code opa build}.
 *
 * <p>Understands the ustar layout with its name prefix, PAX {@code path} records and GNU long
 * names, which covers what Go's {@code archive/tar} writes. Directories, links and other entry
 * types are skipped. Entry names lose any leading {@code /} or {@code ./}.
 */
public final class TarArchive {

    /** The largest single entry read; a policy bundle is far smaller. */
    public static final int MAX_ENTRY_BYTES = 64 * 1024 * 1024;

    /** The most all entries may hold together once unpacked, so a small upload cannot unpack to gigabytes. */
    public static final long MAX_TOTAL_BYTES = 128L * 1024 * 1024;

    private static final int BLOCK = 512;
    private static final int NAME_OFFSET = 0;
    private static final int NAME_LENGTH = 100;
    private static final int SIZE_OFFSET = 124;
    private static final int SIZE_LENGTH = 12;
    private static final int CHECKSUM_OFFSET = 148;
    private static final int CHECKSUM_LENGTH = 8;
    private static final int TYPE_OFFSET = 156;
    private static final int MAGIC_OFFSET = 257;
    private static final int PREFIX_OFFSET = 345;
    private static final int PREFIX_LENGTH = 155;

    private TarArchive() {
    }

    /**
     * Reads every regular file of the archive into memory.
     *
     * @param gzipped the compressed archive; read to the end of the archive, not closed
     * @return file contents by entry name, in archive order
     * @throws IOException when the stream is not a gzip-compressed tar archive or is truncated
     */
    public static Map<String, byte[]> readFiles(InputStream gzipped) throws IOException {
        return readFiles(gzipped, MAX_TOTAL_BYTES);
    }

    /** {@link #readFiles(InputStream)} with another limit on the entries' total size. */
    static Map<String, byte[]> readFiles(InputStream gzipped, long maxTotalBytes) throws IOException {
        InputStream in = new GZIPInputStream(gzipped);
        Map<String, byte[]> files = new LinkedHashMap<>();
        String pendingName = null;
        byte[] header = readBlock(in);
        long total = 0;
        while (header != null && !isZero(header)) {
            verifyChecksum(header);
            long size = size(header);
            total += size;
            if (total > maxTotalBytes) {
                throw new IOException("tar entries exceed " + maxTotalBytes + " bytes in all");
            }
            byte[] content = readContent(in, size);
            char type = (char) header[TYPE_OFFSET];
            if (type == '0' || type == '\0') {
                files.put(normalize(pendingName != null ? pendingName : name(header)), content);
                pendingName = null;
            } else if (type == 'x') {
                pendingName = paxPath(content, pendingName);
            } else if (type == 'L') {
                pendingName = cString(content, 0, content.length);
            }
            header = readBlock(in);
        }
        return files;
    }

    private static byte[] readBlock(InputStream in) throws IOException {
        byte[] block = in.readNBytes(BLOCK);
        if (block.length == 0) {
            return null;
        }
        if (block.length < BLOCK) {
            throw new IOException("tar archive is truncated: partial header block");
        }
        return block;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void verifyChecksum(byte[] header) throws IOException {
        long expected = octal(header, CHECKSUM_OFFSET, CHECKSUM_LENGTH);
        long actual = 0;
        for (int i = 0; i < BLOCK; i++) {
            boolean inChecksumField = i >= CHECKSUM_OFFSET && i < CHECKSUM_OFFSET + CHECKSUM_LENGTH;
            actual += inChecksumField ? ' ' : header[i] & 0xff;
        }
        if (actual != expected) {
            throw new IOException("not a tar archive: header checksum mismatch");
        }
    }

    private static long size(byte[] header) throws IOException {
        if ((header[SIZE_OFFSET] & 0x80) != 0) {
            // GNU base-256 encoding, used by Go for sizes that do not fit the octal field.
            long size = header[SIZE_OFFSET] & 0x7f;
            for (int i = SIZE_OFFSET + 1; i < SIZE_OFFSET + SIZE_LENGTH; i++) {
                size = (size << 8) | (header[i] & 0xff);
            }
            return size;
        }
        return octal(header, SIZE_OFFSET, SIZE_LENGTH);
    }

    private static long octal(byte[] header, int offset, int length) throws IOException {
        String digits = cString(header, offset, length).trim();
        if (digits.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(digits, 8);
        } catch (NumberFormatException e) {
            throw new IOException("not a tar archive: bad octal field '" + digits + "'", e);
        }
    }

    private static byte[] readContent(InputStream in, long size) throws IOException {
        if (size > MAX_ENTRY_BYTES) {
            throw new IOException("tar entry of " + size + " bytes exceeds the limit of " + MAX_ENTRY_BYTES);
        }
        byte[] content = in.readNBytes((int) size);
        if (content.length < size) {
            throw new IOException("tar archive is truncated: entry shorter than its header says");
        }
        // Content is padded to whole blocks; skipNBytes fails with EOFException if the padding is cut.
        in.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
        return content;
    }

    private static String name(byte[] header) {
        String name = cString(header, NAME_OFFSET, NAME_LENGTH);
        boolean ustar = cString(header, MAGIC_OFFSET, 5).equals("ustar");
        String prefix = ustar ? cString(header, PREFIX_OFFSET, PREFIX_LENGTH) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    /** PAX records are "LENGTH key=value\n"; only the path matters here. */
    private static String paxPath(byte[] content, String fallback) {
        String records = new String(content, StandardCharsets.UTF_8);
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return fallback;
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return new String(Arrays.copyOfRange(bytes, offset, end), StandardCharsets.UTF_8);
    }

    private static String normalize(String name) {
        String normalized = name;
        while (normalized.startsWith("/") || normalized.startsWith("./")) {
            normalized = normalized.substring(normalized.startsWith("/") ? 1 : 2);
        }
        return normalized;
    }
}
