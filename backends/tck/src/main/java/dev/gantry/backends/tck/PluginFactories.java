package dev.gantry.backends.tck;

import dev.gantry.plugins.PluginLoadResult;
import dev.gantry.plugins.PluginLoader;
import dev.gantry.spi.BackendFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads the factory under test the way the control plane loads a plugin: through the real
 * {@link PluginLoader}, in a class loader of its own that shares only the SPI and the logging API
 * with the kit, with every call into it running under the plugin's context class loader.
 *
 * <p>Each distinct list of paths is loaded once per JVM and kept, as a control plane keeps its
 * plugins for as long as it runs: all the tests of one class, and the restarted backends within
 * them, share one plugin class loader and whatever native libraries it loaded. A plugin that
 * failed to load keeps failing with the same reason. Thread-safe.
 */
final class PluginFactories {

    private static final Map<List<Path>, PluginLoadResult> LOADED = new ConcurrentHashMap<>();

    private PluginFactories() {
    }

    /**
     * The factory of {@code type} in the plugin made of {@code paths}; fails under
     * {@link ContractRule#PLUGIN_LOADS} when the loader refuses the plugin or the plugin offers
     * no such type.
     */
    static BackendFactory load(String type, List<Path> paths) {
        List<Path> key = paths.stream().map(path -> path.toAbsolutePath().normalize()).toList();
        PluginLoadResult result = LOADED.computeIfAbsent(key, PluginFactories::loadPlugin);
        if (result instanceof PluginLoadResult.Failed failed) {
            throw new AssertionError(ContractRule.PLUGIN_LOADS + ": the plugin loader refused " + key + ": "
                    + failed.reason());
        }
        PluginLoadResult.Loaded loaded = (PluginLoadResult.Loaded) result;
        return loaded.factories().stream()
                .filter(factory -> factory.type().equals(type))
                .findFirst()
                .orElseThrow(() -> new AssertionError(String.format("%s: the plugin at %s offers types %s, not '%s'",
                        ContractRule.PLUGIN_LOADS, key, loaded.types(), type)));
    }

    private static PluginLoadResult loadPlugin(List<Path> paths) {
        // The kit's own loader holds the SPI and SLF4J, as the control plane's does.
        PluginLoader loader = new PluginLoader(PluginFactories.class.getClassLoader());
        return loader.fromPaths("backend-under-test", paths);
    }
}
