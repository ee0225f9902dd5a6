package dev.gantry.api.backends;

import java.util.List;

/**
 * One plugin as the REST API shows it.
 *
 * @param source where it came from
 * @param status whether its factories are in use
 * @param types the backend types it provides or meant to provide
 * @param error why it was refused; null when loaded
 */
public record PluginView(String source, Status status, List<String> types, String error) {

    static PluginView of(PluginEntry entry) {
        return new PluginView(entry.source(), entry.isLoaded() ? Status.LOADED : Status.FAILED, entry.types(),
                entry.error().orElse(null));
    }

    /** Whether a plugin's factories are in use. */
    public enum Status {
        /** Loaded; its types can be configured. */
        LOADED,
        /** Refused; see the error. */
        FAILED
    }
}
