package dev.gantry.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.plugins.PluginLoadResult.Failed;
import dev.gantry.plugins.PluginLoadResult.Loaded;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.RunListener;
import dev.gantry.spi.ScaleRequest;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

class PluginLoaderTest {

    private static final String CLASH = """
            package acme.shared;

            public final class Clash {
                public static String origin() {
                    return "%s";
                }
            }
            """;

    @TempDir
    Path dir;

    private final PluginLoader loader = new PluginLoader(PluginLoaderTest.class.getClassLoader());

    @Test
    void goodPluginLoadsWithItsFactory() {
        Path jar = TestPlugins.plugin("acme.good", "acme-good").writeJar(dir.resolve("good.jar"));

        PluginLoadResult result = loader.fromPaths("good.jar", List.of(jar));

        assertThat(result).isInstanceOfSatisfying(Loaded.class, loaded -> {
            assertThat(loaded.source()).isEqualTo("good.jar");
            assertThat(loaded.types()).containsExactly("acme-good");
            assertThat(loaded.factories().get(0).spiVersion()).isEqualTo("1.0");
        });
    }

    @Test
    void backendCreatedFromPluginAnswersThroughTheWrapper() throws Exception {
        Path jar = TestPlugins.plugin("acme.good", "acme-good").writeJar(dir.resolve("good.jar"));

        Backend backend = onlyFactory(loader.fromPaths("good.jar", List.of(jar))).create(context("one"));

        assertThat(backend.describe().id()).isEqualTo("one");
        assertThat(backend.describe().type()).isEqualTo("acme-good");
        assertThat(backend.capacity().freeSlots()).isEqualTo(1);
        assertThat(backend.runs()).isEmpty();
    }

    @Test
    void classAlsoOnHostResolvesToThePluginsCopy() throws Exception {
        Path hostClasses = new PluginJarBuilder()
                .source("acme.shared.Clash", CLASH.formatted("host"))
                .writeClasses(dir.resolve("host"));
        Path jar = TestPlugins.plugin("acme.clash", "clash", "1.0",
                        "return new TestBackend(context.id(), type(), java.util.Map.of(\"clash\", "
                                + "acme.shared.Clash.origin()));")
                .source("acme.shared.Clash", CLASH.formatted("plugin"))
                .writeJar(dir.resolve("clash.jar"));

        try (var host = new URLClassLoader(new URL[] {hostClasses.toUri().toURL()}, getClass().getClassLoader())) {
            BackendFactory factory = onlyFactory(new PluginLoader(host).fromPaths("clash.jar", List.of(jar)));
            Backend backend = factory.create(context("clash"));

            assertThat(backend.describe().labels()).containsEntry("clash", "plugin");
            assertThat(classLoaderOf(factory).loadClass("acme.shared.Clash"))
                    .isNotSameAs(host.loadClass("acme.shared.Clash"));
        }
    }

    @Test
    void sharedPackagesResolveToTheHostsCopyEvenWhenThePluginBundlesThem() throws Exception {
        Path jar = TestPlugins.plugin("acme.bundling", "bundling")
                .copy(BackendFactory.class)
                .copy(Backend.class)
                .writeJar(dir.resolve("bundling.jar"));

        BackendFactory factory = onlyFactory(loader.fromPaths("bundling.jar", List.of(jar)));

        ClassLoader pluginLoader = classLoaderOf(factory);
        assertThat(pluginLoader.loadClass(BackendFactory.class.getName())).isSameAs(BackendFactory.class);
        assertThat(pluginLoader.loadClass(Backend.class.getName())).isSameAs(Backend.class);
        assertThat(pluginLoader.loadClass(Logger.class.getName())).isSameAs(Logger.class);
    }

    @Test
    void pluginBuiltForAnotherSpiMajorVersionFailsNamingBothVersions() {
        Path jar = TestPlugins.plugin("acme.future", "future", "2.0", TestPlugins.CREATE_BACKEND)
                .writeJar(dir.resolve("future.jar"));

        PluginLoadResult result = loader.fromPaths("future.jar", List.of(jar));

        assertThat(result).isEqualTo(new Failed("future.jar", "plugin 'future.jar' factory 'future' was built for "
                + "Gantry SPI 2.0; this control plane supports SPI 1.x (1.0)"));
    }

    @Test
    void malformedSpiVersionFails() {
        Path jar = TestPlugins.plugin("acme.odd", "odd", "one", TestPlugins.CREATE_BACKEND)
                .writeJar(dir.resolve("odd.jar"));

        PluginLoadResult result = loader.fromPaths("odd.jar", List.of(jar));

        assertThat(reasonOf(result)).isEqualTo(
                "plugin 'odd.jar' factory 'odd' reports SPI version 'one', which is not of the form major.minor");
    }

    @Test
    void pluginBuiltBeforeSpiVersionExistedFails() {
        Path oldSpi = new PluginJarBuilder()
                .source("dev.gantry.spi.BackendFactory", """
                        package dev.gantry.spi;

                        public interface BackendFactory {
                            String type();

                            Backend create(BackendContext context) throws BackendException;
                        }
                        """)
                .writeClasses(dir.resolve("old-spi"));
        Path jar = new PluginJarBuilder()
                .classPath(oldSpi)
                .source("acme.old.OldFactory", """
                        package acme.old;

                        import dev.gantry.spi.Backend;
                        import dev.gantry.spi.BackendContext;
                        import dev.gantry.spi.BackendException;
                        import dev.gantry.spi.BackendFactory;

                        public final class OldFactory implements BackendFactory {
                            public String type() {
                                return "old";
                            }

                            public Backend create(BackendContext context) throws BackendException {
                                throw new BackendException(BackendException.Kind.INTERNAL, "not reached");
                            }
                        }
                        """)
                .factory("acme.old.OldFactory")
                .writeJar(dir.resolve("old.jar"));

        PluginLoadResult result = loader.fromPaths("old.jar", List.of(jar));

        assertThat(reasonOf(result)).isEqualTo("plugin 'old.jar' factory 'old' was built for a Gantry SPI before 1.0, "
                + "which had no spiVersion(); this control plane supports SPI 1.x (1.0)");
    }

    @Test
    void factoryThatFailsToConstructFails() {
        Path jar = new PluginJarBuilder()
                .source("acme.broken.BrokenFactory", """
                        package acme.broken;

                        import dev.gantry.spi.Backend;
                        import dev.gantry.spi.BackendContext;
                        import dev.gantry.spi.BackendFactory;

                        public final class BrokenFactory implements BackendFactory {
                            public BrokenFactory() {
                                throw new IllegalStateException("no licence");
                            }

                            public String type() {
                                return "broken";
                            }

                            public String spiVersion() {
                                return "1.0";
                            }

                            public Backend create(BackendContext context) {
                                return null;
                            }
                        }
                        """)
                .factory("acme.broken.BrokenFactory")
                .writeJar(dir.resolve("broken.jar"));

        PluginLoadResult result = loader.fromPaths("broken.jar", List.of(jar));

        assertThat(reasonOf(result))
                .startsWith("plugin 'broken.jar' backend factory could not be created: ")
                .endsWith("(IllegalStateException: no licence)");
    }

    @Test
    void jarWithoutFactoryFails() {
        Path jar = new PluginJarBuilder()
                .source("acme.shared.Clash", CLASH.formatted("library"))
                .writeJar(dir.resolve("library.jar"));

        PluginLoadResult result = loader.fromPaths("library.jar", List.of(jar));

        assertThat(reasonOf(result)).isEqualTo("plugin 'library.jar' contains no backend factory: "
                + "no META-INF/services/dev.gantry.spi.BackendFactory names one");
    }

    @Test
    void factoryThatThrowsAtCreateLoadsAndPassesTheExceptionToTheCaller() {
        Path jar = TestPlugins.plugin("acme.picky", "picky", "1.0",
                        "throw new BackendException(BackendException.Kind.BAD_REQUEST, "
                                + "\"setting 'root' is required\");")
                .writeJar(dir.resolve("picky.jar"));

        BackendFactory factory = onlyFactory(loader.fromPaths("picky.jar", List.of(jar)));

        assertThatThrownBy(() -> factory.create(context("picky")))
                .isInstanceOfSatisfying(BackendException.class,
                        e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST))
                .hasMessage("setting 'root' is required");
    }

    @Test
    void callsIntoThePluginRunWithItsContextClassLoader() throws Exception {
        Path jar = TestPlugins.plugin("acme.context", "context").writeJar(dir.resolve("context.jar"));
        String id = "context-" + UUID.randomUUID();
        Backend backend = onlyFactory(loader.fromPaths("context.jar", List.of(jar))).create(context(id));

        Map<String, String> labels = backend.describe().labels();
        backend.close();

        assertThat(labels)
                .containsEntry(TestPlugins.CREATED_LABEL, "true")
                .containsEntry(TestPlugins.CONTEXT_LABEL, "true");
        assertThat(System.clearProperty(TestPlugins.CLOSE_PROPERTY + id)).isEqualTo("true");
    }

    @Test
    void callerContextClassLoaderIsRestoredAfterCalls() throws Exception {
        Path jar = TestPlugins.plugin("acme.context", "context", "1.0",
                        "throw new BackendException(BackendException.Kind.INTERNAL, \"boom\");")
                .writeJar(dir.resolve("context.jar"));
        BackendFactory factory = onlyFactory(loader.fromPaths("context.jar", List.of(jar)));
        ClassLoader before = Thread.currentThread().getContextClassLoader();

        assertThatThrownBy(() -> factory.create(context("restored"))).isInstanceOf(BackendException.class);

        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }

    @Test
    void scaleReachesTheSpiDefaultWhenThePluginDoesNotScale() throws Exception {
        Path jar = TestPlugins.plugin("acme.fixed", "fixed").writeJar(dir.resolve("fixed.jar"));
        Backend backend = onlyFactory(loader.fromPaths("fixed.jar", List.of(jar))).create(context("fixed"));

        assertThatThrownBy(() -> backend.scale(new ScaleRequest(2, "test")))
                .isInstanceOfSatisfying(BackendException.class,
                        e -> assertThat(e.kind()).isEqualTo(BackendException.Kind.UNSUPPORTED))
                .hasMessage("backend fixed does not support scaling");
    }

    @Test
    void directoryPluginMadeOfTwoJarsLoads() throws Exception {
        Path pluginDir = Files.createDirectories(dir.resolve("plugins/acme"));
        Path library = new PluginJarBuilder()
                .source("acme.shared.Clash", CLASH.formatted("library"))
                .writeJar(pluginDir.resolve("library.jar"));
        TestPlugins.plugin("acme.split", "split", "1.0",
                        "return new TestBackend(context.id(), type(), java.util.Map.of(\"clash\", "
                                + "acme.shared.Clash.origin()));")
                .classPath(library)
                .writeJar(pluginDir.resolve("backend.jar"));

        List<PluginLoadResult> results = loader.fromDirectory(dir.resolve("plugins"));

        assertThat(results).hasSize(1);
        Backend backend = onlyFactory(results.get(0)).create(context("split"));
        assertThat(results.get(0).source()).isEqualTo("acme");
        assertThat(backend.describe().labels()).containsEntry("clash", "library");
    }

    @Test
    void directoryPluginMayKeepItsClassesInAClassesDirectory() {
        Path pluginDir = dir.resolve("plugins/exploded");
        TestPlugins.plugin("acme.exploded", "exploded").writeClasses(pluginDir.resolve("classes"));

        List<PluginLoadResult> results = loader.fromDirectory(dir.resolve("plugins"));

        assertThat(results).singleElement().isInstanceOfSatisfying(Loaded.class,
                loaded -> assertThat(loaded.types()).containsExactly("exploded"));
    }

    @Test
    void pluginsDirectoryLoadsEachJarAndSubdirectoryInNameOrderAndIgnoresOtherFiles() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        TestPlugins.plugin("acme.b", "b").writeJar(plugins.resolve("b.jar"));
        TestPlugins.plugin("acme.a", "a").writeJar(plugins.resolve("a/a.jar"));
        TestPlugins.plugin("acme.c", "c", "2.0", TestPlugins.CREATE_BACKEND).writeJar(plugins.resolve("c.jar"));
        Files.writeString(plugins.resolve("README.txt"), "not a plugin");

        List<PluginLoadResult> results = loader.fromDirectory(plugins);

        assertThat(results).extracting(PluginLoadResult::source).containsExactly("a", "b.jar", "c.jar");
        assertThat(results).extracting(result -> result.getClass().getSimpleName())
                .containsExactly("Loaded", "Loaded", "Failed");
    }

    @Test
    void missingPluginsDirectoryHoldsNoPlugins() {
        assertThat(loader.fromDirectory(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void missingPathFails() {
        PluginLoadResult result = loader.fromPaths("gone", List.of(dir.resolve("gone.jar")));

        assertThat(reasonOf(result)).isEqualTo("plugin 'gone' path '" + dir.resolve("gone.jar") + "' does not exist");
    }

    @Test
    void classPathFactoriesAreFoundOnTheHostAndNamedByTheirLocation() throws Exception {
        Path shipped = TestPlugins.plugin("acme.shipped", "shipped").writeClasses(dir.resolve("shipped"));

        try (var host = new URLClassLoader(new URL[] {shipped.toUri().toURL()}, getClass().getClassLoader())) {
            List<PluginLoadResult> results = new PluginLoader(host).fromClassPath();

            assertThat(results).singleElement().isEqualTo(new Loaded("classpath:" + shipped,
                    ((Loaded) results.get(0)).factories()));
            assertThat(((Loaded) results.get(0)).types()).containsExactly("shipped");
        }
    }

    private BackendContext context(String id) {
        return new BackendContext(id, Map.of(), dir.resolve("data").resolve(id), Clock.systemUTC(), RunListener.NONE);
    }

    private static BackendFactory onlyFactory(PluginLoadResult result) {
        assertThat(result).isInstanceOf(Loaded.class);
        return ((Loaded) result).factories().get(0);
    }

    private static ClassLoader classLoaderOf(BackendFactory factory) {
        return ((IsolatedBackendFactory) factory).classLoader();
    }

    private static String reasonOf(PluginLoadResult result) {
        assertThat(result).isInstanceOf(Failed.class);
        return ((Failed) result).reason();
    }
}
