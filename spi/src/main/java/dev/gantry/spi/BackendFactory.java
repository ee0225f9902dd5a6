package dev.gantry.spi;

/**
 * Creates backends of one type. Found with {@link java.util.ServiceLoader}: a plugin names its
 * implementation in {@code META-INF/services/dev.gantry.spi.BackendFactory}. The implementation
 * needs a public no-argument constructor and must be cheap to construct.
 *
 * @since 1.0
 */
public interface BackendFactory {

    /**
     * The backend type this factory creates, such as {@code local-process}; configuration selects
     * a factory by this name. Lower case, words joined by hyphens.
     */
    String type();

    /**
     * The SPI version this plugin was built against. Implement it as {@code return
     * SpiVersion.CURRENT;}: the constant is compiled into the plugin, so the control plane can
     * refuse a plugin built for an SPI it does not support, before calling anything else.
     */
    String spiVersion();

    /**
     * Creates a backend for one configured id. Checks every setting first and reports all the
     * problems found at once in one {@link BackendException} of kind
     * {@link BackendException.Kind#BAD_REQUEST}, before building anything. Called once per
     * configured id at control plane start.
     */
    Backend create(BackendContext context) throws BackendException;
}
