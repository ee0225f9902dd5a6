package dev.gantry.backends.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Native;
import dev.gantry.backends.tck.BackendProbe;
import dev.gantry.backends.tck.ContractRule;
import dev.gantry.plugins.PluginLoadResult;
import dev.gantry.plugins.PluginLoader;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.LaunchRequest;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunHandle;
import dev.gantry.spi.RunListener;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend loaded as a plugin while other copies of JNA live in the same JVM: the host's own,
 * and that of another plugin class loader. Each copy unpacks and loads its own native library, so
 * none needs JNA shared from the host.
 */
class LocalProcessPluginTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path temporaryDirectory;

    private final List<Backend> opened = new ArrayList<>();

    @AfterEach
    void closeBackends() {
        opened.forEach(Backend::close);
    }

    @Test
    void pluginsRunProcessesBesideTheHostsOwnJna() throws BackendException {
        assertThat(Native.getLastError()).as("JNA works in the host's class loader").isNotNegative();
        Backend first = open(loadFactory("first"), "first");
        Backend second = open(loadFactory("second"), "second");

        RunStatus firstEnd = runToEnd(first, 3);
        RunStatus secondEnd = runToEnd(second, 4);

        assertThat(firstEnd.state()).isEqualTo(RunState.EXITED);
        assertThat(firstEnd.exitCode()).hasValue(3);
        assertThat(secondEnd.state()).isEqualTo(RunState.EXITED);
        assertThat(secondEnd.exitCode()).hasValue(4);
    }

    private static BackendFactory loadFactory(String name) {
        PluginLoadResult result = new PluginLoader(LocalProcessPluginTest.class.getClassLoader())
                .fromPaths(name, LocalProcessPlugin.paths());
        assertThat(result).isInstanceOf(PluginLoadResult.Loaded.class);
        return ((PluginLoadResult.Loaded) result).factories().get(0);
    }

    private Backend open(BackendFactory factory, String id) throws BackendException {
        Backend backend = factory.create(new BackendContext(
                id, Map.of("slots", "2"), temporaryDirectory.resolve(id), Clock.systemUTC(), RunListener.NONE));
        opened.add(backend);
        return backend;
    }

    private static RunStatus runToEnd(Backend backend, int exitCode) throws BackendException {
        String attemptId = "plugin-" + UUID.randomUUID();
        RunHandle handle = backend.launch(new LaunchRequest(attemptId, "job-" + attemptId, 1,
                List.of("/bin/sh", "-c", "exit " + exitCode), Map.of(), "", Resources.NONE, WAIT, Map.of(), List.of()));
        return new BackendProbe(backend, WAIT).awaitTerminal(handle, ContractRule.RUN_EXITS);
    }
}
