package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.spi.Resources;
import dev.gantry.spi.RunState;
import dev.gantry.spi.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttemptFilesTest {

    private static final Instant STARTED = Instant.parse("2024-05-01T10:00:00Z");

    @TempDir
    Path directory;

    @Test
    void recordWithStopSurvivesTheRoundTrip() throws IOException {
        AttemptFiles files = created();
        AttemptRecord record = record().stopping(
                new StopRequest(RunState.CANCELLED, STARTED.plusSeconds(5), STARTED.plusSeconds(15)));

        files.writeRecord(record);

        assertThat(files.readRecord()).hasValue(record);
        assertThat(files.hasRecord()).isTrue();
    }

    @Test
    void exitSurvivesTheRoundTrip() throws IOException {
        AttemptFiles files = created();
        ExitRecord exit = new ExitRecord(RunState.EXITED, OptionalInt.of(137), Optional.of("SIGKILL"),
                STARTED.plusSeconds(3), "killed by SIGKILL");

        files.writeExit(exit);

        assertThat(files.readExit()).hasValue(exit);
    }

    @Test
    void exitWithoutCodeSurvivesTheRoundTrip() throws IOException {
        AttemptFiles files = created();
        ExitRecord exit = new ExitRecord(RunState.LOST, OptionalInt.empty(), Optional.empty(), STARTED, "lost");

        files.writeExit(exit);

        assertThat(files.readExit()).hasValue(exit);
    }

    @Test
    void missingRecordsReadAsNothing() throws IOException {
        AttemptFiles files = created();

        assertThat(files.readRecord()).isEmpty();
        assertThat(files.readExit()).isEmpty();
    }

    @Test
    void handleNamesPidAndStartTime() {
        assertThat(record().handle().reference()).isEqualTo("pid:4242:987654");
        assertThat(record().handle().formatVersion()).isEqualTo(1);
    }

    @Test
    void createReplacesDirectoryLeftByDeadLaunch() throws IOException {
        Path attemptDirectory = directory.resolve("attempt-1");
        Files.createDirectories(attemptDirectory.resolve("old"));
        AttemptFiles files = new AttemptFiles(attemptDirectory);

        files.create(attemptDirectory.resolve("work"));

        assertThat(attemptDirectory.resolve("old")).doesNotExist();
        assertThat(attemptDirectory.resolve("work")).isDirectory();
    }

    @Test
    void secretsAreWrittenReadableByTheOwnerOnly() throws IOException {
        AttemptFiles files = created();

        files.writeSecrets(List.of(new Secret("key.pem", Secret.Target.FILE, "secret-kéy")));

        Path file = files.secretsDirectory().resolve("key.pem");
        assertThat(Files.getPosixFilePermissions(files.secretsDirectory()))
                .isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("r--------"));
        assertThat(Files.readString(file)).isEqualTo("secret-kéy");
    }

    @Test
    void deleteSecretsRemovesTheSecretsDirectoryOnly() throws IOException {
        AttemptFiles files = created();
        files.writeSecrets(List.of(new Secret("a", Secret.Target.FILE, "1"), new Secret("b", Secret.Target.FILE, "2")));

        files.deleteSecrets();

        assertThat(files.secretsDirectory()).doesNotExist();
        assertThat(files.directory()).isDirectory();
    }

    @Test
    void deleteSecretsWithoutSecretsChangesNothing() throws IOException {
        AttemptFiles files = created();

        files.deleteSecrets();

        assertThat(files.directory()).isDirectory();
    }

    private AttemptFiles created() throws IOException {
        AttemptFiles files = new AttemptFiles(directory.resolve("attempt-1"));
        files.create(files.directory());
        return files;
    }

    private static AttemptRecord record() {
        return new AttemptRecord("attempt-1", "job-1", 2, 4242, 987654, STARTED, Duration.ofMinutes(5),
                new Resources(0.5, 1 << 20, 0), Optional.empty());
    }
}
