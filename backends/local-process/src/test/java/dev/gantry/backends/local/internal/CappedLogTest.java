package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.spi.LogChunk;
import dev.gantry.spi.LogStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CappedLogTest {

    private static final long CAP = 10;

    @TempDir
    Path directory;

    private AttemptFiles files;

    @BeforeEach
    void createFiles() {
        files = new AttemptFiles(directory);
    }

    @Test
    void readStopsAtTheCapAndReportsTruncation() throws IOException {
        write("0123456789abcdef");

        LogChunk chunk = log().read(4, 100, false);

        assertThat(text(chunk)).isEqualTo("456789");
        assertThat(chunk.truncated()).isTrue();
        assertThat(chunk.cappedAt()).isEqualTo(CAP);
        assertThat(chunk.complete()).isFalse();
    }

    @Test
    void enforcingTheCapCutsTheFileAndRemembersIt() throws IOException {
        write("0123456789abcdef");

        log().enforceCap();

        assertThat(Files.readString(files.log(LogStream.STDOUT))).isEqualTo("0123456789");
        assertThat(log().read(0, 100, true).truncated()).isTrue();
    }

    @Test
    void outputWithinTheCapIsNotTruncated() throws IOException {
        write("0123456789");

        log().enforceCap();
        LogChunk chunk = log().read(0, 100, true);

        assertThat(text(chunk)).isEqualTo("0123456789");
        assertThat(chunk.truncated()).isFalse();
        assertThat(chunk.complete()).isTrue();
    }

    @Test
    void endedStreamIsCompleteOnlyOnItsLastPage() throws IOException {
        write("0123456789");

        assertThat(log().read(0, 4, true).complete()).isFalse();
        assertThat(log().read(8, 4, true).complete()).isTrue();
    }

    @Test
    void readPastTheEndIsEmptyAtTheOffsetAsked() throws IOException {
        write("0123");

        LogChunk chunk = log().read(7, 4, true);

        assertThat(chunk.offset()).isEqualTo(7);
        assertThat(chunk.data()).isEmpty();
        assertThat(chunk.complete()).isTrue();
    }

    @Test
    void missingFileReadsAsEmpty() throws IOException {
        LogChunk chunk = log().read(0, 4, false);

        assertThat(chunk.data()).isEmpty();
        assertThat(chunk.truncated()).isFalse();
    }

    private CappedLog log() {
        return files.cappedLog(LogStream.STDOUT, CAP);
    }

    private void write(String text) throws IOException {
        Files.writeString(files.log(LogStream.STDOUT), text);
    }

    private static String text(LogChunk chunk) {
        return new String(chunk.data(), StandardCharsets.US_ASCII);
    }
}
