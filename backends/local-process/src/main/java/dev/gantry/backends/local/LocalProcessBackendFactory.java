package dev.gantry.backends.local;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.SpiVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@link LocalProcessBackend}s, type {@value LocalProcessBackend#TYPE}. Registered in
 * {@code META-INF/services/dev.gantry.spi.BackendFactory}; see
 * {@link LocalProcessConfiguration} for the settings.
 *
 * @since 0.1
 */
public final class LocalProcessBackendFactory implements BackendFactory {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProcessBackendFactory.class);

    @Override
    public String type() {
        return LocalProcessBackend.TYPE;
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Fails with {@link BackendException.Kind#UNAVAILABLE} when another backend instance holds
     * the data directory, or when {@code cgroups} is {@code required} and the host's cgroup v2
     * cannot be used. Settings this backend does not know are logged and ignored.
     */
    @Override
    public Backend create(BackendContext context) throws BackendException {
        LocalProcessConfiguration configuration = LocalProcessConfiguration.fromSettings(context.settings());
        context.settings().keySet().stream()
                .filter(key -> !LocalProcessConfiguration.KEYS.contains(key))
                .sorted()
                .forEach(key -> LOG.warn("unknown setting ignored backend={} key={}", context.id(), key));
        LocalProcessBackend backend = LocalProcessBackend.open(context, configuration);
        LOG.info("backend opened backend={} slots={} cpu={} memoryBytes={}",
                context.id(), configuration.slots(), configuration.cpu(), configuration.memoryBytes());
        return backend;
    }
}
