package dev.gantry.plugins;

import dev.gantry.spi.BackendFactory;
import java.util.List;

/**
 * What became of one plugin: its factories, ready to create backends, or why it was refused.
 *
 * <p>A plugin is loaded whole or not at all: when one of its factories is refused, the plugin is
 * {@link Failed} and none of its factories is offered.
 */
public sealed interface PluginLoadResult {

    /**
     * Where the plugin came from: a jar or directory name in the plugins directory, the name given
     * to {@link PluginLoader#fromPaths}, or {@code classpath:<jar>} for a backend shipped with the
     * control plane.
     */
    String source();

    /**
     * A plugin whose factories all passed the checks.
     *
     * @param source where the plugin came from
     * @param factories its factories, in the order its {@code META-INF/services} file names them;
     *     each runs every call with the plugin's class loader as the thread's context class loader
     */
    record Loaded(String source, List<BackendFactory> factories) implements PluginLoadResult {

        public Loaded {
            factories = List.copyOf(factories);
        }

        /** The backend types this plugin offers, in factory order. */
        public List<String> types() {
            return factories.stream().map(BackendFactory::type).toList();
        }
    }

    /**
     * A plugin that was refused.
     *
     * @param source where the plugin came from
     * @param reason one line an operator can act on: which plugin, which factory, and why
     */
    record Failed(String source, String reason) implements PluginLoadResult {
    }
}
