package dev.gantry.spi;

/**
 * What a backend can take now and in total.
 *
 * @param free resources not held by any run
 * @param total resources the backend has when empty
 * @param freeSlots how many more runs it accepts now
 * @param totalSlots how many runs it holds at most
 * @since 1.0
 */
public record Capacity(Resources free, Resources total, int freeSlots, int totalSlots) {

    /** Whether one more run asking for {@code request} fits now. */
    public boolean admits(Resources request) {
        return freeSlots > 0 && free.fits(request);
    }
}
