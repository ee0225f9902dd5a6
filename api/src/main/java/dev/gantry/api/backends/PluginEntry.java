package dev.gantry.api.backends;

import java.util.List;
import java.util.Optional;

/**
 * One plugin found at start, on the class path or in the plugins directory.
 *
 * @param source where it came from, such as {@code acme-batch.jar} or
 *     {@code classpath:gantry-backend-local-process.jar}
 * @param types the backend types it provides or meant to provide; empty when it could not be
 *     asked
 * @param error why it was refused, when it was; its factories are then not used at all
 */
public record PluginEntry(String source, List<String> types, Optional<String> error) {

    public PluginEntry {
        types = List.copyOf(types);
    }

    /** Whether its factories are in use. */
    public boolean isLoaded() {
        return error.isEmpty();
    }
}
