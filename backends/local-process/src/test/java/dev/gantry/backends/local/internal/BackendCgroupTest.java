package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendCgroupTest {

    @TempDir
    Path temporaryDirectory;

    @Test
    void defaultRootIsInTheCgroup2MountOfAHybridHost() throws IOException {
        Path mountInfo = mountInfo(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");

        assertThat(BackendCgroup.defaultRoot(mountInfo)).hasValue(Path.of("/sys/fs/cgroup/unified/gantry"));
    }

    @Test
    void defaultRootIsInTheCgroup2MountOfAPureHost() throws IOException {
        Path mountInfo = mountInfo(
                "22 1 259:1 / / rw,relatime shared:1 - ext4 /dev/root rw",
                "30 22 0:26 / /sys/fs/cgroup rw,nosuid shared:9 master:4 - cgroup2 cgroup2 rw,nsdelegate");

        assertThat(BackendCgroup.defaultRoot(mountInfo)).hasValue(Path.of("/sys/fs/cgroup/gantry"));
    }

    @Test
    void mountPointWithEscapedSpaceIsUnescaped() throws IOException {
        Path mountInfo = mountInfo("41 31 0:38 / /mnt/my\\040cgroups rw - cgroup2 none rw");

        assertThat(BackendCgroup.defaultRoot(mountInfo)).hasValue(Path.of("/mnt/my cgroups/gantry"));
    }

    @Test
    void hostWithoutCgroup2HasNoDefaultRoot() throws IOException {
        Path mountInfo = mountInfo("35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory");

        assertThat(BackendCgroup.defaultRoot(mountInfo)).isEmpty();
    }

    @Test
    void rootOutsideCgroup2IsRefusedAndLeftUntouched() {
        Path root = temporaryDirectory.resolve("not-a-cgroup");

        assertThatIOException()
                .isThrownBy(() -> BackendCgroup.open(root, "local"))
                .withMessageContaining("not cgroup2");
        assertThat(root).doesNotExist();
    }

    @Test
    void unsafeBackendIdIsRefused() {
        assertThatIOException()
                .isThrownBy(() -> BackendCgroup.open(temporaryDirectory, "../escape"))
                .withMessageContaining("'../escape'");
    }

    private Path mountInfo(String... lines) throws IOException {
        return Files.write(temporaryDirectory.resolve("mountinfo"), List.of(lines));
    }
}
