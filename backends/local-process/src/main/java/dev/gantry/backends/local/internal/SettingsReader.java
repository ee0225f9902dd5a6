package dev.gantry.backends.local.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw string settings into typed values, collecting every problem instead of stopping at the
 * first, so that configuration errors are reported all at once. A key that is absent takes its
 * default; a key that is present must be valid.
 */
public final class SettingsReader {

    private static final Pattern QUANTITY = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([A-Za-z]*)");
    private static final Map<String, BigInteger> BYTE_UNITS = Map.ofEntries(
            Map.entry("", BigInteger.ONE),
            Map.entry("k", BigInteger.TEN.pow(3)),
            Map.entry("K", BigInteger.TEN.pow(3)),
            Map.entry("M", BigInteger.TEN.pow(6)),
            Map.entry("G", BigInteger.TEN.pow(9)),
            Map.entry("T", BigInteger.TEN.pow(12)),
            Map.entry("Ki", BigInteger.TWO.pow(10)),
            Map.entry("Mi", BigInteger.TWO.pow(20)),
            Map.entry("Gi", BigInteger.TWO.pow(30)),
            Map.entry("Ti", BigInteger.TWO.pow(40)));
    private static final Map<String, Duration> DURATION_UNITS = Map.of(
            "", Duration.ofSeconds(1),
            "ms", Duration.ofMillis(1),
            "s", Duration.ofSeconds(1),
            "m", Duration.ofMinutes(1),
            "h", Duration.ofHours(1),
            "d", Duration.ofDays(1));
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

    private final Map<String, String> settings;
    private final List<String> problems = new ArrayList<>();

    /** A reader of {@code settings}. */
    public SettingsReader(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** Every problem found so far, one sentence each. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** A whole number of at least 1. */
    public int positiveInteger(String key, int defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a whole number of at least 1", defaultValue);
    }

    /** A number above 0, fractions allowed. */
    public double positiveNumber(String key, double defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.trim());
            if (value > 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a number above 0", defaultValue);
    }

    /** A number of at least 0, fractions allowed. */
    public double nonNegativeNumber(String key, double defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            double value = Double.parseDouble(raw.trim());
            if (value >= 0 && Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a number of at least 0", defaultValue);
    }

    /** A size in bytes above 0, plain or with a unit (k, M, G, T, Ki, Mi, Gi, Ti). */
    public long byteSize(String key, long defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            long value = parseByteSize(raw);
            if (value > 0) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a size above 0 such as 1048576, 512Mi or 2Gi", defaultValue);
    }

    /** A duration of at least 0, in ISO-8601 ({@code PT10S}) or simple form ({@code 10s}, {@code 500ms}). */
    public Duration duration(String key, Duration defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            Duration value = parseDuration(raw);
            if (!value.isNegative()) {
                return value;
            }
        } catch (IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be a duration such as PT10S, 10s or 500ms", defaultValue);
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
        return raw.trim();
    }

    /** An ISO 4217 currency code: three upper-case letters, such as {@code USD}. */
    public String currencyCode(String key, String defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        if (!CURRENCY_CODE.matcher(raw.trim()).matches()) {
            return problem(key, raw, "must be an ISO 4217 currency code such as USD or EUR", defaultValue);
        }
        return raw.trim();
    }

    /**
     * One of the constants of {@code type}, written as its name in lower case with hyphens for
     * underscores, such as {@code required} for {@code REQUIRED}.
     */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        String raw = settings.get(key);
        if (raw == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (settingName(constant).equals(raw.trim())) {
                return constant;
            }
        }
        List<String> names = Arrays.stream(type.getEnumConstants()).map(SettingsReader::settingName).toList();
        return problem(key, raw, "must be one of " + String.join(", ", names), defaultValue);
    }

    /** An absolute path, or nothing when {@code key} is not set. */
    public Optional<Path> absolutePath(String key) {
        String raw = settings.get(key);
        if (raw == null) {
            return Optional.empty();
        }
        try {
            Path path = Path.of(raw.trim());
            if (path.isAbsolute()) {
                return Optional.of(path.normalize());
            }
        } catch (InvalidPathException e) {
            // Reported below, with the key and value at fault.
        }
        return problem(key, raw, "must be an absolute path", Optional.empty());
    }

    /** Whether {@code key} is set at all, valid or not. */
    public boolean isSet(String key) {
        return settings.containsKey(key);
    }

    /**
     * Records a problem when {@code key} is set although none of {@code others} is, because it
     * only means something together with one of them.
     */
    public void requireOneOfWhenSet(String key, List<String> others) {
        String raw = settings.get(key);
        if (raw != null && others.stream().noneMatch(settings::containsKey)) {
            problem(key, raw, "applies only together with " + String.join(" or ", others), null);
        }
    }

    /** Labels written {@code key=value,key=value}; blank for none. */
    public Map<String, String> labels(String key) {
        String raw = settings.getOrDefault(key, "");
        Map<String, String> labels = new LinkedHashMap<>();
        for (String entry : raw.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).trim();
            if (name.isEmpty() || labels.containsKey(name)) {
                return problem(key, raw, "must be distinct key=value pairs separated by commas", Map.of());
            }
            labels.put(name, entry.substring(equals + 1).trim());
        }
        return Map.copyOf(labels);
    }

    /** Parses a byte size such as {@code 1048576}, {@code 512Mi} or {@code 1.5G}, rounding down. */
    public static long parseByteSize(String raw) {
        Matcher matcher = QUANTITY.matcher(raw.trim());
        if (!matcher.matches() || !BYTE_UNITS.containsKey(matcher.group(2))) {
            throw new IllegalArgumentException("not a byte size: '" + raw + "'");
        }
        BigInteger bytes = new BigDecimal(matcher.group(1))
                .multiply(new BigDecimal(BYTE_UNITS.get(matcher.group(2))))
                .toBigInteger();
        if (bytes.compareTo(LONG_MAX) > 0) {
            throw new IllegalArgumentException("byte size too large: '" + raw + "'");
        }
        return bytes.longValueExact();
    }

    /** Parses a duration in ISO-8601 ({@code PT1M30S}) or as a number with a unit ({@code 90s}). */
    public static Duration parseDuration(String raw) {
        String trimmed = raw.trim();
        if (trimmed.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
        }
        Matcher matcher = QUANTITY.matcher(trimmed);
        if (!matcher.matches() || !DURATION_UNITS.containsKey(matcher.group(2))) {
            throw new IllegalArgumentException("not a duration: '" + raw + "'");
        }
        BigDecimal nanos = new BigDecimal(matcher.group(1))
                .multiply(BigDecimal.valueOf(DURATION_UNITS.get(matcher.group(2)).toNanos()));
        return Duration.ofNanos(nanos.toBigInteger().longValueExact());
    }

    private static String settingName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private <T> T problem(String key, String raw, String expectation, T fallback) {
        problems.add(key + " '" + raw + "' " + expectation);
        return fallback;
    }
}
