package dev.gantry.spi;

import java.util.Map;
import java.util.Optional;

/**
 * Who a backend is: its id and type, where it runs, and what it can do.
 *
 * @param id the configured id
 * @param type the factory type, such as {@code local-process}
 * @param region where the work runs, such as {@code eu-west-1} or {@code on-prem}; never null
 * @param labels free-form labels for placement policy, such as {@code tier=on-prem}
 * @param capabilities optional features the backend supports
 * @param price what capacity costs here, when the backend knows
 * @since 1.0
 */
public record BackendDescriptor(
        String id,
        String type,
        String region,
        Map<String, String> labels,
        BackendCapabilities capabilities,
        Optional<Price> price) {

    public BackendDescriptor {
        labels = Map.copyOf(labels);
        if (id == null || type == null || region == null || capabilities == null || price == null) {
            throw new IllegalArgumentException("id, type, region, capabilities and price are required");
        }
    }
}
