package dev.gantry.examples.federation.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw string settings into typed values and collects every problem on the way, so that all
 * of them can be reported at once. An absent key takes its default; a present key must be valid.
 */
public final class SettingsReader {

    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final Map<String, Long> BYTE_UNITS = Map.of(
            "", 1L, "K", 1000L, "M", 1000_000L, "G", 1000_000_000L, "T", 1000_000_000_000L,
            "Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40);
    private static final Map<String, Duration> DURATION_UNITS = Map.of(
            "ms", Duration.ofMillis(1), "s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1),
            "h", Duration.ofHours(1));

    private final Map<String, String> settings;
    private final List<String> problems = new ArrayList<>();

    /** A reader of {@code settings}. */
    public SettingsReader(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** Every problem found so far, one phrase each, in the order the keys were read. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** An absolute {@code http} or {@code https} URL without query or fragment; required. */
    public URI httpUrl(String key) {
        String raw = settings.get(key);
        if (raw == null || raw.isBlank()) {
            problems.add(key + " is required, such as https://gantry.example.com");
            return null;
        }
        try {
            URI url = new URI(raw.strip());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && url.getHost() != null
                    && url.getRawQuery() == null && url.getRawFragment() == null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be an http or https URL such as https://gantry.example.com", null);
    }

    /** Text that is not blank. */
    public String text(String key, String defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (raw.isBlank()) {
            return problem(key, raw, "must not be blank", defaultValue);
        }
        return raw.strip();
    }

    /** A whole number of at least {@code min}. */
    public int integer(String key, int defaultValue, int min) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a whole number of at least " + min, defaultValue);
    }

    /** A number above 0, fractions allowed. */
    public double positiveNumber(String key, double defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.strip());
            if (value > 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a number above 0", defaultValue);
    }

    /** A size in bytes above 0, plain or with a unit: K, M, G, T, Ki, Mi, Gi, Ti. */
    public long byteSize(String key, long defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        Matcher matcher = QUANTITY.matcher(raw.strip());
        if (matcher.matches() && BYTE_UNITS.containsKey(matcher.group(2))) {
            BigDecimal bytes = new BigDecimal(matcher.group(1))
                    .multiply(BigDecimal.valueOf(BYTE_UNITS.get(matcher.group(2))));
            if (bytes.signum() > 0 && bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
                return bytes.longValue();
            }
        }
        return problem(key, raw, "must be a size above 0 such as 1048576, 512Mi or 2Ti", defaultValue);
    }

    /** A duration above 0, in ISO-8601 ({@code PT10S}) or short form ({@code 10s}, {@code 500ms}). */
    public Duration positiveDuration(String key, Duration defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            Duration value = parseDuration(raw.strip());
            if (!value.isNegative() && !value.isZero()) {
                return value;
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a duration above 0 such as 10s, 500ms or PT1M", defaultValue);
    }

    /** Labels written {@code name=value,name=value}; none when absent or blank. */
    public Map<String, String> labels(String key) {
        String raw = settings.getOrDefault(key, "");
        Map<String, String> labels = new LinkedHashMap<>();
        for (String entry : raw.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).strip();
            if (name.isEmpty() || labels.containsKey(name)) {
                return problem(key, raw, "must be distinct name=value pairs separated by commas", Map.of());
            }
            labels.put(name, entry.substring(equals + 1).strip());
        }
        return Map.copyOf(labels);
    }

    private static Duration parseDuration(String raw) {
        if (raw.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(raw.toUpperCase(Locale.ROOT));
        }
        Matcher matcher = QUANTITY.matcher(raw);
        if (!matcher.matches() || !DURATION_UNITS.containsKey(matcher.group(2))) {
            throw new DateTimeParseException("not a duration", raw, 0);
        }
        BigDecimal nanos = new BigDecimal(matcher.group(1))
                .multiply(BigDecimal.valueOf(DURATION_UNITS.get(matcher.group(2)).toNanos()));
        return Duration.ofNanos(nanos.toBigInteger().longValueExact());
    }

    private <T> T problem(String key, String raw, String expectation, T fallback) {
        problems.add(key + " '" + raw + "' " + expectation);
        return fallback;
    }
}
