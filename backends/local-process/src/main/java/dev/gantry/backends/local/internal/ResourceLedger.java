package dev.gantry.backends.local.internal;

import dev.gantry.spi.Capacity;
import dev.gantry.spi.Resources;

/** What the backend has in total and what its live attempts hold of it. Thread-safe. */
public final class ResourceLedger {

    // Sums of fractional cores drift in binary floating point; a micro-core is far below any request.
    private static final double CPU_PRECISION = 1e6;

    private final Resources total;
    private final int totalSlots;
    private Resources held = Resources.NONE;
    private int heldSlots;

    /** A ledger of {@code total} resources in {@code totalSlots} slots, all free. */
    public ResourceLedger(Resources total, int totalSlots) {
        this.total = total;
        this.totalSlots = totalSlots;
    }

    /** Whether {@code request} could ever fit, with every slot free. */
    public boolean fitsTotal(Resources request) {
        return total.fits(request);
    }

    /** Takes {@code request} and one slot when they are free now; returns whether it did. */
    public synchronized boolean reserve(Resources request) {
        if (!capacity().admits(request)) {
            return false;
        }
        hold(request);
        return true;
    }

    /** Takes {@code request} and one slot even beyond the total, for attempts found running. */
    public synchronized void forceReserve(Resources request) {
        hold(request);
    }

    /** Gives back what one attempt held. */
    public synchronized void release(Resources request) {
        held = rounded(held.minus(request));
        heldSlots = Math.max(0, heldSlots - 1);
    }

    /** Free and total capacity now. */
    public synchronized Capacity capacity() {
        return new Capacity(rounded(total.minus(held)), total, Math.max(0, totalSlots - heldSlots), totalSlots);
    }

    private void hold(Resources request) {
        held = rounded(held.plus(request));
        heldSlots++;
    }

    private static Resources rounded(Resources resources) {
        double cpu = Math.round(resources.cpu() * CPU_PRECISION) / CPU_PRECISION;
        return new Resources(cpu, resources.memoryBytes(), resources.gpu());
    }
}
