package dev.gantry.spi;

/**
 * Creates backends of one type. Found with {@link java.util.ServiceLoader}: a plugin names its
 * implementation in {@code META-INF/services/dev.gantry.spi.BackendFactory}. The implementation
 * needs a public no-argument constructor and must be cheap to construct.
 *
 * @since 0.1
 */
public interface BackendFactory {

    /**
     * The backend type this factory creates, such as {@code local-process}; configuration selects
     * a factory by this name. Lower case, words joined by hyphens.
     */
    String type();

    /**
     * Creates a backend for one configured id. Checks every setting first and reports all the
     * problems found at once in one {@link BackendException} of kind
     * {@link BackendException.Kind#BAD_REQUEST}, before building anything. Called once per
     * configured id at control plane start.
     */
    Backend create(BackendContext context) throws BackendException;
}
