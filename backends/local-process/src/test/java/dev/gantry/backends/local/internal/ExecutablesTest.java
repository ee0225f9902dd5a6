package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

    @TempDir
    Path directory;

    private Path tool;

    @BeforeEach
    void createTool() throws IOException {
        Files.createDirectories(directory.resolve("bin"));
        tool = Files.writeString(directory.resolve("bin/tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(directory.resolve("bin/plain"), "text");
    }

    @Test
    void bareNameIsSearchedOnPathInOrder() {
        String path = "/nonexistent:" + directory.resolve("bin") + ":/usr/bin";

        assertThat(Executables.resolve("tool", path, directory)).hasValue(tool);
    }

    @Test
    void relativePathEntryIsResolvedAgainstWorkingDirectory() {
        assertThat(Executables.resolve("tool", "bin", directory)).hasValue(tool);
    }

    @Test
    void emptyPathEntryMeansWorkingDirectory() {
        assertThat(Executables.resolve("tool", "/nonexistent:", directory.resolve("bin"))).hasValue(tool);
    }

    @Test
    void nameWithSlashIsNotSearched() {
        assertThat(Executables.resolve("bin/tool", "/usr/bin", directory)).hasValue(tool);
        assertThat(Executables.resolve("./tool", directory.resolve("bin").toString(), directory)).isEmpty();
    }

    @Test
    void fileWithoutExecutePermissionIsNotAProgram() {
        assertThat(Executables.resolve("plain", directory.resolve("bin").toString(), directory)).isEmpty();
    }

    @Test
    void directoryIsNotAProgram() {
        assertThat(Executables.resolve("bin", directory.toString(), directory)).isEmpty();
    }
}
