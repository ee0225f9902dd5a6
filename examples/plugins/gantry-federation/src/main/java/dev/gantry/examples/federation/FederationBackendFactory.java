package dev.gantry.examples.federation;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.SpiVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates {@link FederationBackend}s, type {@value FederationBackend#TYPE}. Registered in
 * {@code META-INF/services/dev.gantry.spi.BackendFactory}; see {@link FederationSettings} for the
 * settings.
 *
 * @since 0.1
 */
public final class FederationBackendFactory implements BackendFactory {

    private static final Logger LOG = LoggerFactory.getLogger(FederationBackendFactory.class);

    @Override
    public String type() {
        return FederationBackend.TYPE;
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Does not contact the remote: a remote that is down at start makes calls fail as
     * {@link BackendException.Kind#UNAVAILABLE} until it is back, without keeping the backend from
     * starting. Settings this backend does not know are logged and ignored.
     */
    @Override
    public Backend create(BackendContext context) throws BackendException {
        FederationSettings settings = FederationSettings.parse(context.settings());
        context.settings().keySet().stream()
                .filter(key -> !FederationSettings.KEYS.contains(key))
                .sorted()
                .forEach(key -> LOG.warn("unknown setting ignored backend={} key={}", context.id(), key));
        LOG.info("backend opened backend={} url={} tenant={} slots={}",
                context.id(), settings.url(), settings.tenant(), settings.slots());
        return new FederationBackend(context.id(), settings);
    }
}
