package dev.gantry.policy.embedded.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class TarArchiveTest {

    private static final int BLOCK = 512;

    @Test
    void readsRegularFilesWithoutLeadingSlash() throws IOException {
        byte[] archive = gzip(entry("/data.json", '0', "{}"), entry("./policy.wasm", '0', "wasm"), end());

        Map<String, byte[]> files = TarArchive.readFiles(new ByteArrayInputStream(archive));

        assertThat(files).containsOnlyKeys("data.json", "policy.wasm");
        assertThat(new String(files.get("data.json"), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void entriesTogetherLargerThanTheLimitAreRefused() throws IOException {
        byte[] archive = gzip(entry("a", '0', "x".repeat(600)), entry("b", '0', "y".repeat(600)), end());

        assertThat(TarArchive.readFiles(new ByteArrayInputStream(archive), 1200)).hasSize(2);
        assertThatThrownBy(() -> TarArchive.readFiles(new ByteArrayInputStream(archive), 1199))
                .isInstanceOf(IOException.class).hasMessageContaining("1199 bytes in all");
    }

    @Test
    void skipsDirectories() throws IOException {
        byte[] archive = gzip(entry("/gantry/", '5', ""), entry("/gantry/a.rego", '0', "package a"), end());

        assertThat(TarArchive.readFiles(new ByteArrayInputStream(archive))).containsOnlyKeys("gantry/a.rego");
    }

    @Test
    void paxPathReplacesTheHeaderName() throws IOException {
        String longName = "/" + "deep/".repeat(30) + "policy.wasm";
        String record = " path=" + longName + "\n";
        // A PAX record starts with its own length in bytes, the three digits of that length included.
        String pax = (record.length() + 3) + record;
        byte[] archive = gzip(entry("PaxHeaders/x", 'x', pax), entry("truncated-name", '0', "wasm"), end());

        Map<String, byte[]> files = TarArchive.readFiles(new ByteArrayInputStream(archive));

        assertThat(files).containsOnlyKeys(longName.substring(1));
    }

    @Test
    void gnuLongNameReplacesTheHeaderName() throws IOException {
        String longName = "deep/".repeat(30) + "data.json";
        byte[] archive = gzip(entry("././@LongLink", 'L', longName + "\0"), entry("short", '0', "{}"), end());

        assertThat(TarArchive.readFiles(new ByteArrayInputStream(archive))).containsOnlyKeys(longName);
    }

    @Test
    void corruptHeaderIsRefused() throws IOException {
        byte[] header = entry("data.json", '0', "{}");
        header[0] = 'X';

        assertThatThrownBy(() -> TarArchive.readFiles(new ByteArrayInputStream(gzip(header, end()))))
                .isInstanceOf(IOException.class)
                .hasMessage("not a tar archive: header checksum mismatch");
    }

    @Test
    void truncatedEntryIsRefused() throws IOException {
        byte[] whole = entry("policy.wasm", '0', "x".repeat(600));
        byte[] cut = Arrays.copyOf(whole, BLOCK + 100);

        assertThatThrownBy(() -> TarArchive.readFiles(new ByteArrayInputStream(gzip(cut))))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("tar archive is truncated");
    }

    @Test
    void plainTextIsRefused() {
        byte[] text = "not an archive".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> TarArchive.readFiles(new ByteArrayInputStream(text)))
                .isInstanceOf(IOException.class);
    }

    /** A ustar header block followed by the content padded to whole blocks. */
    private static byte[] entry(String name, char type, String content) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        int blocks = (data.length + BLOCK - 1) / BLOCK;
        byte[] entry = new byte[BLOCK * (1 + blocks)];
        put(entry, 0, name);
        put(entry, 100, "0000644");
        put(entry, 124, String.format("%011o", data.length));
        entry[156] = (byte) type;
        put(entry, 257, "ustar\0");
        put(entry, 263, "00");
        Arrays.fill(entry, 148, 156, (byte) ' ');
        long checksum = 0;
        for (int i = 0; i < BLOCK; i++) {
            checksum += entry[i] & 0xff;
        }
        put(entry, 148, String.format("%06o\0 ", checksum));
        System.arraycopy(data, 0, entry, BLOCK, data.length);
        return entry;
    }

    private static byte[] end() {
        return new byte[2 * BLOCK];
    }

    private static void put(byte[] block, int offset, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, block, offset, Math.min(bytes.length, 100));
    }

    private static byte[] gzip(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            for (byte[] part : parts) {
                gzip.write(part);
            }
        }
        return out.toByteArray();
    }
}
