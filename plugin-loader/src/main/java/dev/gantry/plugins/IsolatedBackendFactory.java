package dev.gantry.plugins;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;

/**
 * A plugin's factory, seen through a wrapper that creates backends with the plugin's class loader
 * as the thread's context class loader and wraps each in an {@link IsolatedBackend}. The type and
 * SPI version were read once, in the same way, when the plugin was loaded.
 */
final class IsolatedBackendFactory implements BackendFactory {

    private final BackendFactory delegate;
    private final PluginContext context;
    private final String type;
    private final String spiVersion;

    IsolatedBackendFactory(BackendFactory delegate, PluginContext context, String type, String spiVersion) {
        this.delegate = delegate;
        this.context = context;
        this.type = type;
        this.spiVersion = spiVersion;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String spiVersion() {
        return spiVersion;
    }

    @Override
    public Backend create(BackendContext backendContext) throws BackendException {
        Backend backend = context.call(() -> delegate.create(backendContext));
        if (backend == null) {
            throw new BackendException(BackendException.Kind.INTERNAL,
                    "factory '" + type + "' returned no backend for id '" + backendContext.id() + "'");
        }
        return new IsolatedBackend(backend, context);
    }

    /** The class loader the plugin's classes come from. */
    ClassLoader classLoader() {
        return context.loader();
    }

    @Override
    public String toString() {
        return "IsolatedBackendFactory[" + type + "]";
    }
}
