package dev.gantry.api.backends;

import java.util.List;

/**
 * The answer to {@code GET /v1/backends}.
 *
 * @param backends every configured backend, in id order
 * @param plugins every plugin found at start, class path first, then the plugins directory
 */
public record BackendsView(List<BackendView> backends, List<PluginView> plugins) {
}
