package dev.gantry.spi;

/**
 * The version of this SPI, and the rule for which plugins a control plane accepts.
 *
 * <p>A plugin reports the version it was built against from {@link BackendFactory#spiVersion()}
 * by returning {@link #CURRENT}. The constant is copied into the plugin's class file when the
 * plugin is compiled, so the control plane learns the SPI the plugin was built for, not its own.
 * Within one major version the SPI only grows (new types, new default methods), so a control plane
 * accepts a plugin built for the same major version and the same or an older minor version.
 *
 * @since 1.0
 */
public final class SpiVersion {

    /** The version of this SPI, {@code major.minor}. */
    public static final String CURRENT = "1.0";

    private SpiVersion() {
    }

    /**
     * Whether a control plane built with {@code host} can run a plugin built for {@code plugin}.
     *
     * @throws IllegalArgumentException when either is not of the form {@code major.minor}
     */
    public static boolean isCompatible(String host, String plugin) {
        int[] hostParts = parse(host);
        int[] pluginParts = parse(plugin);
        return hostParts[0] == pluginParts[0] && pluginParts[1] <= hostParts[1];
    }

    private static int[] parse(String version) {
        if (version == null || !version.matches("\\d{1,4}\\.\\d{1,4}")) {
            throw new IllegalArgumentException("SPI version '" + version + "' is not of the form major.minor");
        }
        String[] parts = version.split("\\.");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
