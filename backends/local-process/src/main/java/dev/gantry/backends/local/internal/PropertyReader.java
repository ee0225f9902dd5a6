package dev.gantry.backends.local.internal;

import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/** Reads typed values from a record's properties, failing with the key's name when one is missing. */
final class PropertyReader {

    private final Properties properties;

    PropertyReader(Properties properties) {
        this.properties = properties;
    }

    String text(String key) {
        return optionalText(key).orElseThrow(() -> new IllegalArgumentException("record lacks '" + key + "'"));
    }

    Optional<String> optionalText(String key) {
        return Optional.ofNullable(properties.getProperty(key));
    }

    int integer(String key) {
        return Integer.parseInt(text(key));
    }

    Instant instant(String key) {
        return Instant.parse(text(key));
    }
}
