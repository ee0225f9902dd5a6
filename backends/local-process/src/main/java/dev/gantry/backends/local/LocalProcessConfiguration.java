package dev.gantry.backends.local;

import dev.gantry.backends.local.internal.SettingsReader;
import dev.gantry.spi.BackendException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * @since 0.1
 */
public record LocalProcessConfiguration(
        int slots,
        double cpu,
        long memoryBytes,
        long maxLogBytes,
        Duration killGrace,
        String region,
        Map<String, String> labels) {

    /** The configuration prefix before the backend id; the settings given to the backend lack it. */
    public static final String PREFIX = "gantry.backends.";

    public static final String SLOTS = "slots";
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String MAX_LOG_BYTES = "max-log-bytes";
    public static final String KILL_GRACE = "kill-grace";
    public static final String REGION = "region";
    public static final String LABELS = "labels";

    /** Every key this backend reads. */
    public static final Set<String> KEYS = Set.of(SLOTS, CPU, MEMORY, MAX_LOG_BYTES, KILL_GRACE, REGION, LABELS);

    public static final long DEFAULT_MAX_LOG_BYTES = 16L * 1024 * 1024;
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(10);
    public static final String DEFAULT_REGION = "local";

    public LocalProcessConfiguration {
        labels = Map.copyOf(labels);
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
                reader.labels(LABELS));
        List<String> problems = reader.problems();
        if (!problems.isEmpty()) {
            throw new BackendException(
                    BackendException.Kind.BAD_REQUEST,
                    "invalid local-process settings: " + String.join("; ", problems));
        }
        return configuration;
    }
}
