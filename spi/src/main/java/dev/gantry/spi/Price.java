package dev.gantry.spi;

/**
 * What capacity on a backend costs, for placement policy and cost attribution. Rates are per hour
 * of holding the resource, in {@code currency}.
 *
 * @param currency an ISO 4217 code, such as {@code USD}
 * @param perCpuHour the rate for one core
 * @param perGibHour the rate for one GiB of memory
 * @param perGpuHour the rate for one GPU
 * @param interruptible whether the capacity may be taken back at short notice (spot or
 *     preemptible), so only work that tolerates interruption should go there
 * @since 1.0
 */
public record Price(String currency, double perCpuHour, double perGibHour, double perGpuHour, boolean interruptible) {

    public Price {
        if (currency == null || !currency.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency '" + currency + "' is not an ISO 4217 code");
        }
        if (perCpuHour < 0 || perGibHour < 0 || perGpuHour < 0) {
            throw new IllegalArgumentException("rates must not be negative");
        }
    }

    /** The hourly rate of holding {@code resources}. */
    public double hourlyRate(Resources resources) {
        return resources.cpu() * perCpuHour
                + resources.memoryBytes() / (double) (1L << 30) * perGibHour
                + resources.gpu() * perGpuHour;
    }
}
