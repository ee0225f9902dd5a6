package dev.gantry.spi;

import java.util.Map;

/**
 * Who a backend is: its id and type, where it runs, and what it can do.
 *
 * @param id the configured id
 * @param type the factory type, such as {@code local-process}
 * @param region where the work runs, such as {@code eu-west-1} or {@code on-prem}; never null
 * @param labels free-form labels for placement policy, such as {@code tier=on-prem}
 * @param capabilities optional features the backend supports
 * @since 0.1
 */
public record BackendDescriptor(
        String id,
        String type,
        String region,
        Map<String, String> labels,
        BackendCapabilities capabilities) {

    public BackendDescriptor {
        labels = Map.copyOf(labels);
        if (id == null || type == null || region == null || capabilities == null) {
            throw new IllegalArgumentException("id, type, region and capabilities are required");
        }
    }
}
