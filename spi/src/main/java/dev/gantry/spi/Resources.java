package dev.gantry.spi;

/**
 * An amount of compute: what a run asks for, or what a backend has.
 *
 * @param cpu cores, fractions allowed
 * @param memoryBytes memory in bytes
 * @param gpu whole GPUs
 * @since 1.0
 */
public record Resources(double cpu, long memoryBytes, int gpu) {

    /** Nothing at all. */
    public static final Resources NONE = new Resources(0, 0, 0);

    public Resources {
        if (cpu < 0 || memoryBytes < 0 || gpu < 0 || Double.isNaN(cpu)) {
            throw new IllegalArgumentException("resources must not be negative");
        }
    }

    /** Whether {@code request} fits within this amount. */
    public boolean fits(Resources request) {
        return request.cpu <= cpu && request.memoryBytes <= memoryBytes && request.gpu <= gpu;
    }

    /** This amount with {@code other} added. */
    public Resources plus(Resources other) {
        return new Resources(cpu + other.cpu, memoryBytes + other.memoryBytes, gpu + other.gpu);
    }

    /** This amount with {@code other} taken away, never below zero. */
    public Resources minus(Resources other) {
        return new Resources(
                Math.max(0, cpu - other.cpu),
                Math.max(0, memoryBytes - other.memoryBytes),
                Math.max(0, gpu - other.gpu));
    }
}
