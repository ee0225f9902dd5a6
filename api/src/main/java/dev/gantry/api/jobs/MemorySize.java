package dev.gantry.api.jobs;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads memory amounts written as bytes or with Kubernetes-style suffixes ({@code 512Mi}, {@code 2G}). */
final class MemorySize {

    private static final Pattern FORMAT = Pattern.compile("(\\d{1,15})(Ki|Mi|Gi|Ti|K|M|G|T)?");
    private static final Map<String, Long> UNITS = Map.of(
            "Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40,
            "K", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L, "T", 1_000_000_000_000L);

    private MemorySize() {
    }

    /** Parses {@code text}, or returns -1 when it is not a memory amount. */
    static long parse(String text) {
        Matcher matcher = FORMAT.matcher(text.trim());
        if (!matcher.matches()) {
            return -1;
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        long multiplier = unit == null ? 1 : UNITS.get(unit);
        if (number > Long.MAX_VALUE / multiplier) {
            return -1;
        }
        return number * multiplier;
    }
}
