package dev.gantry.backends.local;

import dev.gantry.backends.local.internal.SettingsReader;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Price;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of a local-process backend, checked and typed. Keys are kebab-case and come without
 * the {@value #PREFIX}{@code <id>.} prefix the control plane's configuration puts before them.
 *
 * @param slots how many attempts may run at once ({@value #SLOTS}; default: the host's processors)
 * @param cpu cores shared out to attempts ({@value #CPU}; default: the host's processors)
 * @param memoryBytes memory shared out to attempts ({@value #MEMORY}, such as {@code 512Mi} or
 *     {@code 2Gi}; default: the host's physical memory)
 * @param maxLogBytes the cap of each output stream of an attempt ({@value #MAX_LOG_BYTES};
 *     default 16 MiB)
 * @param killGrace how long a timed-out attempt gets between SIGTERM and SIGKILL
 *     ({@value #KILL_GRACE}, such as {@code PT10S} or {@code 10s}; default 10 seconds)
 * @param region the region reported to placement ({@value #REGION}; default {@value #DEFAULT_REGION})
 * @param labels labels reported to placement ({@value #LABELS}, as {@code key=value,key=value})
 * @param price what capacity here costs, reported to placement and cost attribution: the rates
 *     {@value #PRICE_PER_CPU_HOUR} and {@value #PRICE_PER_GIB_HOUR} (numbers of at least 0; an
 *     unset one is 0) in {@value #CURRENCY} (an ISO 4217 code; default {@value #DEFAULT_CURRENCY}).
 *     Empty unless at least one rate is set; {@value #CURRENCY} alone is a mistake. GPUs cost
 *     nothing, as this backend has none, and the capacity is never interruptible
 * @param cgroups whether each attempt is contained in a cgroup v2 of its own ({@value #CGROUPS}):
 *     {@code auto} (the default) uses cgroups when the host offers a writable cgroup2 hierarchy and
 *     otherwise contains attempts by process group only, with a warning; {@code off} never uses
 *     them; {@code required} fails the creation of the backend when they cannot be used. No
 *     resource limit is set on these cgroups: the resources of an attempt are accounted, not
 *     enforced
 * @param cgroupRoot the cgroup directory under which the backend keeps {@code <backend id>/<attempt
 *     id>} ({@value #CGROUP_ROOT}, an absolute path; default {@code gantry} in the host's cgroup2
 *     mount, such as {@code /sys/fs/cgroup/gantry}); set it to a subtree delegated to the user the
 *     control plane runs as
 * @since 0.1
 */
public record LocalProcessConfiguration(
        int slots,
        double cpu,
        long memoryBytes,
        long maxLogBytes,
        Duration killGrace,
        String region,
        Map<String, String> labels,
        Optional<Price> price,
        CgroupMode cgroups,
        Optional<Path> cgroupRoot) {

    /** The configuration prefix before the backend id; the settings given to the backend lack it. */
    public static final String PREFIX = "gantry.backends.";

    public static final String SLOTS = "slots";
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String MAX_LOG_BYTES = "max-log-bytes";
    public static final String KILL_GRACE = "kill-grace";
    public static final String REGION = "region";
    public static final String LABELS = "labels";
    public static final String PRICE_PER_CPU_HOUR = "price-per-cpu-hour";
    public static final String PRICE_PER_GIB_HOUR = "price-per-gib-hour";
    public static final String CURRENCY = "currency";
    public static final String CGROUPS = "cgroups";
    public static final String CGROUP_ROOT = "cgroup-root";

    /** Every key this backend reads. */
    public static final Set<String> KEYS = Set.of(SLOTS, CPU, MEMORY, MAX_LOG_BYTES, KILL_GRACE, REGION, LABELS,
            PRICE_PER_CPU_HOUR, PRICE_PER_GIB_HOUR, CURRENCY, CGROUPS, CGROUP_ROOT);

    public static final long DEFAULT_MAX_LOG_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);
    public static final String DEFAULT_REGION = "local";
    public static final String DEFAULT_CURRENCY = "USD";
    public static final CgroupMode DEFAULT_CGROUPS = CgroupMode.AUTO;

    public LocalProcessConfiguration {
        labels = Map.copyOf(labels);
        if (price == null) {
            throw new IllegalArgumentException("price is required; use Optional.empty() for none");
        }
        if (cgroups == null || cgroupRoot == null) {
            throw new IllegalArgumentException("cgroups and cgroupRoot are required; cgroupRoot may be empty");
        }
    }

    /** Reads {@code settings}, taking the defaults that depend on the host from this machine. */
    public static LocalProcessConfiguration fromSettings(Map<String, String> settings) throws BackendException {
        com.sun.management.OperatingSystemMXBean system =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return fromSettings(settings, Runtime.getRuntime().availableProcessors(), system.getTotalMemorySize());
    }

    /**
     * Reads {@code settings} for a host with {@code hostProcessors} processors and
     * {@code hostMemoryBytes} of memory. Fails with one {@link BackendException.Kind#BAD_REQUEST}
     * naming every setting at fault. Keys this backend does not know are ignored.
     */
    public static LocalProcessConfiguration fromSettings(
            Map<String, String> settings, int hostProcessors, long hostMemoryBytes) throws BackendException {
        SettingsReader reader = new SettingsReader(settings);
        LocalProcessConfiguration configuration = new LocalProcessConfiguration(
                reader.positiveInteger(SLOTS, hostProcessors),
                reader.positiveNumber(CPU, hostProcessors),
                reader.byteSize(MEMORY, hostMemoryBytes),
                reader.byteSize(MAX_LOG_BYTES, DEFAULT_MAX_LOG_BYTES),
                reader.duration(KILL_GRACE, DEFAULT_KILL_GRACE),
                reader.text(REGION, DEFAULT_REGION),
                reader.labels(LABELS),
                price(reader),
                reader.choice(CGROUPS, CgroupMode.class, DEFAULT_CGROUPS),
                reader.absolutePath(CGROUP_ROOT));
        List<String> problems = reader.problems();
        if (!problems.isEmpty()) {
            throw new BackendException(
                    BackendException.Kind.BAD_REQUEST,
                    "invalid local-process settings: " + String.join("; ", problems));
        }
        return configuration;
    }

    private static Optional<Price> price(SettingsReader reader) {
        List<String> rates = List.of(PRICE_PER_CPU_HOUR, PRICE_PER_GIB_HOUR);
        double perCpuHour = reader.nonNegativeNumber(PRICE_PER_CPU_HOUR, 0);
        double perGibHour = reader.nonNegativeNumber(PRICE_PER_GIB_HOUR, 0);
        String currency = reader.currencyCode(CURRENCY, DEFAULT_CURRENCY);
        reader.requireOneOfWhenSet(CURRENCY, rates);
        if (rates.stream().noneMatch(reader::isSet)) {
            return Optional.empty();
        }
        return Optional.of(new Price(currency, perCpuHour, perGibHour, 0, false));
    }

    /** How the backend uses cgroup v2 to contain attempts, setting {@value #CGROUPS}. */
    public enum CgroupMode {
        /** Use cgroups when the host allows it, else contain by process group only. */
        AUTO,
        /** Contain by process group only. */
        OFF,
        /** Use cgroups, and fail to create the backend when the host does not allow it. */
        REQUIRED
    }
}
