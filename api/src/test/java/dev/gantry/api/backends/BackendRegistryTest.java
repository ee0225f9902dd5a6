package dev.gantry.api.backends;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.backends.FakeBackendFactory.FakeBackend;
import dev.gantry.plugins.PluginLoadResult;
import dev.gantry.plugins.PluginLoadResult.Failed;
import dev.gantry.plugins.PluginLoadResult.Loaded;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.RunListener;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackendRegistryTest {

    @TempDir
    Path dir;

    @Test
    void severalIdsOfOneTypeStartWithTheirOwnSettingsAndDataDirectory() {
        List<PluginLoadResult> plugins = List.of(new Loaded("local.jar", List.of(FakeBackendFactory.of("local"))));

        BackendRegistry registry = registry(plugins, Map.of(
                "a", Map.of("type", "local", "slots", "1"),
                "b", Map.of("type", "local", "slots", "2")));

        assertThat(registry.started()).hasSize(2);
        FakeBackend b = (FakeBackend) registry.find("b").orElseThrow();
        assertThat(b.context().settings()).isEqualTo(Map.of("slots", "2"));
        assertThat(b.context().dataDirectory()).isEqualTo(dir.resolve("b"));
        assertThat(registry.entry("b").orElseThrow().source()).contains("local.jar");
    }

    @Test
    void secondPluginProvidingATypeAlreadyProvidedIsRefusedNamingBoth() {
        List<PluginLoadResult> plugins = List.of(
                new Loaded("classpath:local.jar", List.of(FakeBackendFactory.of("local"))),
                new Loaded("copy.jar", List.of(FakeBackendFactory.of("other"), FakeBackendFactory.of("local"))));

        BackendRegistry registry = registry(plugins, Map.of("a", Map.of("type", "local")));

        assertThat(registry.plugins()).containsExactly(
                new PluginEntry("classpath:local.jar", List.of("local"), Optional.empty()),
                new PluginEntry("copy.jar", List.of("other", "local"), Optional.of(
                        "plugin 'copy.jar' provides type 'local', which plugin 'classpath:local.jar' already "
                                + "provides; the first one found is used")));
        assertThat(registry.entry("a").orElseThrow().source()).contains("classpath:local.jar");
    }

    @Test
    void unknownTypeFailsListingInstalledTypesAndRefusedPlugins() {
        List<PluginLoadResult> plugins = List.of(
                new Loaded("b.jar", List.of(FakeBackendFactory.of("beta"))),
                new Loaded("a.jar", List.of(FakeBackendFactory.of("alpha"))),
                new Failed("future.jar", "built for Gantry SPI 2.0"));

        BackendRegistry registry = registry(plugins, Map.of("x", Map.of("type", "future")));

        assertThat(registry.entry("x").orElseThrow().error()).contains("no backend plugin of type 'future' is "
                + "installed; installed types: alpha, beta; refused plugins: future.jar");
        assertThat(registry.started()).isEmpty();
    }

    @Test
    void backendWithoutTypeFails() {
        BackendRegistry registry = registry(List.of(), Map.of("x", Map.of("slots", "1")));

        assertThat(registry.entry("x").orElseThrow().error())
                .contains("no type configured: set gantry.backends.x.type");
    }

    @Test
    void backendThatThrowsAtCreateIsKeptWithItsReasonWhileTheOthersStart() {
        List<PluginLoadResult> plugins = List.of(new Loaded("mixed.jar", List.of(
                FakeBackendFactory.of("good"),
                FakeBackendFactory.failing("picky", new BackendException(
                        BackendException.Kind.BAD_REQUEST, "setting 'root' is required")),
                FakeBackendFactory.failing("buggy", new IllegalStateException("boom")),
                FakeBackendFactory.failing("stale", new NoSuchMethodError("acme.Client.connect()")))));

        BackendRegistry registry = registry(plugins, Map.of(
                "good", Map.of("type", "good"),
                "picky", Map.of("type", "picky"),
                "buggy", Map.of("type", "buggy"),
                "stale", Map.of("type", "stale")));

        assertThat(registry.entries()).extracting(BackendEntry::id).containsExactly("buggy", "good", "picky", "stale");
        assertThat(registry.started()).hasSize(1);
        assertThat(registry.entry("picky").orElseThrow().error()).contains("setting 'root' is required");
        assertThat(registry.entry("buggy").orElseThrow().error()).contains("IllegalStateException: boom");
        assertThat(registry.entry("stale").orElseThrow().error())
                .contains("NoSuchMethodError: acme.Client.connect()");
    }

    @Test
    void closeClosesEveryStartedBackend() {
        List<PluginLoadResult> plugins = List.of(new Loaded("local.jar", List.of(FakeBackendFactory.of("local"))));
        BackendRegistry registry = registry(plugins, Map.of(
                "a", Map.of("type", "local"),
                "b", Map.of("type", "local")));

        registry.close();

        assertThat(registry.started()).allSatisfy(backend -> assertThat(((FakeBackend) backend).isClosed()).isTrue());
    }

    private BackendRegistry registry(List<PluginLoadResult> plugins, Map<String, Map<String, String>> configured) {
        return new BackendRegistry(plugins, configured, dir, Clock.systemUTC(), RunListener.NONE);
    }
}
