package dev.gantry.examples.federation;

import dev.gantry.examples.federation.internal.SettingsReader;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Resources;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of a federation backend, checked and typed. In the control plane's configuration
 * they sit under {@code gantry.backends.<id>.}; the backend receives them without that prefix.
 *
 * @param url the remote control plane's base URL ({@value #URL}; required), such as
 *     {@code https://gantry.cloud.example.com}
 * @param tenant the tenant forwarded jobs run as on the remote ({@value #TENANT}; default
 *     {@value #DEFAULT_TENANT}). A launch request does not carry the local job's tenant, so every
 *     job this backend forwards runs as this one tenant there; two control planes forwarding to
 *     the same remote should each use their own
 * @param slots how many forwarded runs may be live at once ({@value #SLOTS}; default 8)
 * @param region the region reported to placement ({@value #REGION}; default
 *     {@value #DEFAULT_REGION})
 * @param labels labels reported to placement ({@value #LABELS}, as {@code name=value,name=value})
 * @param requestTimeout how long one call to the remote may take ({@value #REQUEST_TIMEOUT}, such
 *     as {@code 10s} or {@code PT10S}; default 10 seconds)
 * @param total what the remote may be given at once ({@value #CPU}, {@value #MEMORY} such as
 *     {@code 4Ti}, {@value #GPU}; default 1,024 cores, 4 TiB and no GPUs). The remote's own
 *     placement still decides where each job goes; these only bound what this backend forwards
 * @since 0.1
 */
public record FederationSettings(
        URI url,
        String tenant,
        int slots,
        String region,
        Map<String, String> labels,
        Duration requestTimeout,
        Resources total) {

    public static final String URL = "url";
    public static final String TENANT = "tenant";
    public static final String SLOTS = "slots";
    public static final String REGION = "region";
    public static final String LABELS = "labels";
    public static final String REQUEST_TIMEOUT = "request-timeout";
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String GPU = "gpu";

    /** Every key this backend reads. */
    public static final Set<String> KEYS =
            Set.of(URL, TENANT, SLOTS, REGION, LABELS, REQUEST_TIMEOUT, CPU, MEMORY, GPU);

    public static final String DEFAULT_TENANT = "federation";
    public static final int DEFAULT_SLOTS = 8;
    public static final String DEFAULT_REGION = "remote";
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final double DEFAULT_CPU = 1024;
    public static final long DEFAULT_MEMORY_BYTES = 4L << 40;

    public FederationSettings {
        labels = Map.copyOf(labels);
    }

    /**
     * Reads raw settings. Keys this backend does not know are left for the caller to report.
     *
     * @throws BackendException of kind {@link BackendException.Kind#BAD_REQUEST} naming every
     *     setting at fault
     */
    public static FederationSettings parse(Map<String, String> settings) throws BackendException {
        SettingsReader reader = new SettingsReader(settings);
        URI url = reader.httpUrl(URL);
        FederationSettings parsed = new FederationSettings(
                url == null ? null : withoutTrailingSlash(url),
                reader.text(TENANT, DEFAULT_TENANT),
                reader.integer(SLOTS, DEFAULT_SLOTS, 1),
                reader.text(REGION, DEFAULT_REGION),
                reader.labels(LABELS),
                reader.positiveDuration(REQUEST_TIMEOUT, DEFAULT_REQUEST_TIMEOUT),
                new Resources(
                        reader.positiveNumber(CPU, DEFAULT_CPU),
                        reader.byteSize(MEMORY, DEFAULT_MEMORY_BYTES),
                        reader.integer(GPU, 0, 0)));
        List<String> problems = reader.problems();
        if (!problems.isEmpty()) {
            throw new BackendException(BackendException.Kind.BAD_REQUEST,
                    "invalid " + FederationBackend.TYPE + " settings: " + String.join("; ", problems));
        }
        return parsed;
    }

    private static URI withoutTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }
}
