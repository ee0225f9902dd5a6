package dev.gantry.api.backends;

import dev.gantry.spi.BackendCapabilities;
import dev.gantry.spi.BackendDescriptor;
import dev.gantry.spi.Capacity;
import dev.gantry.spi.Price;
import dev.gantry.spi.Resources;
import java.util.Map;

/**
 * One configured backend as the REST API shows it. What the backend could not tell is null: for a
 * failed backend everything it would describe, for a degraded one its capacity.
 *
 * @param id the configured id
 * @param type the configured type; empty when none was configured
 * @param status whether it is running and answering
 * @param error why it failed or is degraded; null when up
 * @param source the plugin its factory came from; null when no plugin provides its type
 * @param region where its work runs
 * @param labels its labels for placement policy
 * @param capabilities the optional features it supports
 * @param capacity what it can take now and in total
 * @param price what its capacity costs, when it knows
 */
public record BackendView(
        String id,
        String type,
        Status status,
        String error,
        String source,
        String region,
        Map<String, String> labels,
        CapabilitiesView capabilities,
        CapacityView capacity,
        PriceView price) {

    /** A backend that started and answered. */
    static BackendView up(BackendEntry entry, BackendDescriptor descriptor, Capacity capacity) {
        return described(entry, Status.UP, null, descriptor, CapacityView.of(capacity));
    }

    /** A backend that started but failed to answer; {@code descriptor} is null when it could not describe itself. */
    static BackendView degraded(BackendEntry entry, BackendDescriptor descriptor, String error) {
        if (descriptor == null) {
            return new BackendView(entry.id(), entry.type(), Status.DEGRADED, error, entry.source().orElse(null),
                    null, null, null, null, null);
        }
        return described(entry, Status.DEGRADED, error, descriptor, null);
    }

    /** A backend that did not start. */
    static BackendView failed(BackendEntry entry) {
        return new BackendView(entry.id(), entry.type(), Status.FAILED, entry.error().orElse(null),
                entry.source().orElse(null), null, null, null, null, null);
    }

    private static BackendView described(
            BackendEntry entry, Status status, String error, BackendDescriptor descriptor, CapacityView capacity) {
        return new BackendView(entry.id(), entry.type(), status, error, entry.source().orElse(null),
                descriptor.region(), descriptor.labels(), CapabilitiesView.of(descriptor.capabilities()), capacity,
                descriptor.price().map(PriceView::of).orElse(null));
    }

    /** Whether a backend is running and answering. */
    public enum Status {
        /** Started, and answered for its capacity just now. */
        UP,
        /** Started, but failed to answer just now; placement may skip it. */
        DEGRADED,
        /** Never started; see the error. */
        FAILED
    }

    /** The optional features of a backend; see {@link BackendCapabilities}. */
    public record CapabilitiesView(
            boolean gpus, boolean pushesStatus, boolean survivesRestart, boolean scales, boolean secretFiles) {

        static CapabilitiesView of(BackendCapabilities capabilities) {
            return new CapabilitiesView(capabilities.gpus(), capabilities.pushesStatus(),
                    capabilities.survivesRestart(), capabilities.scales(), capabilities.secretFiles());
        }
    }

    /** The capacity of a backend; see {@link Capacity}. */
    public record CapacityView(ResourcesView free, ResourcesView total, int freeSlots, int totalSlots) {

        static CapacityView of(Capacity capacity) {
            return new CapacityView(ResourcesView.of(capacity.free()), ResourcesView.of(capacity.total()),
                    capacity.freeSlots(), capacity.totalSlots());
        }
    }

    /** An amount of compute; see {@link Resources}. */
    public record ResourcesView(double cpu, long memoryBytes, int gpu) {

        static ResourcesView of(Resources resources) {
            return new ResourcesView(resources.cpu(), resources.memoryBytes(), resources.gpu());
        }
    }

    /** Hourly rates of a backend's capacity; see {@link Price}. */
    public record PriceView(
            String currency, double perCpuHour, double perGibHour, double perGpuHour, boolean interruptible) {

        static PriceView of(Price price) {
            return new PriceView(price.currency(), price.perCpuHour(), price.perGibHour(), price.perGpuHour(),
                    price.interruptible());
        }
    }
}
