package dev.gantry.spi;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What the control plane gives a backend when it creates it.
 *
 * @param id the configured backend id, unique within the control plane, such as {@code local}
 * @param settings the backend's raw settings from configuration, keys in kebab-case without the
 *     {@code gantry.backends.<id>.} prefix; never null
 * @param dataDirectory a directory owned by this backend id, kept across restarts, for run records
 *     and output
 * @param clock the clock to read time from, so tests can control it
 * @param listener where a backend that watches its runs pushes status changes; a backend that
 *     only supports polling may ignore it
 * @since 1.0
 */
public record BackendContext(
        String id,
        Map<String, String> settings,
        Path dataDirectory,
        Clock clock,
        RunListener listener) {

    public BackendContext {
        requireText(id, "id");
        settings = Map.copyOf(settings);
        if (dataDirectory == null || clock == null || listener == null) {
            throw new IllegalArgumentException("dataDirectory, clock and listener are required");
        }
    }

    /** Returns the setting {@code key}, or {@code defaultValue} when it is not configured. */
    public String setting(String key, String defaultValue) {
        return settings.getOrDefault(key, defaultValue);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
