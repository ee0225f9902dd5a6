package dev.gantry.backends.tck;

import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.SpiVersion;

/**
 * A plugin factory for the kit's own tests of plugin loading: it has a type and an SPI version,
 * and refuses to create anything.
 */
public final class TypeOnlyBackendFactory implements BackendFactory {

    /** The type this factory reports. */
    public static final String TYPE = "tck-type-only";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public Backend create(BackendContext context) throws BackendException {
        throw new BackendException(BackendException.Kind.UNSUPPORTED, "type " + TYPE + " creates no backends");
    }
}
