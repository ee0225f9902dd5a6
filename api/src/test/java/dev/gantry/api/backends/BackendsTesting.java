package dev.gantry.api.backends;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** What the backend integration tests share: plugins directories and lookups in responses. */
final class BackendsTesting {

    private BackendsTesting() {
    }

    /** A new, empty plugins directory under {@code target}. */
    static Path newPluginsDir() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "gantry-plugins-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A plugins directory that does not exist, so only the class path provides backends. */
    static String absentPluginsDir() {
        return Path.of("target", "no-plugins-" + UUID.randomUUID()).toString();
    }

    /** The backend with {@code id} in a {@code GET /v1/backends} body. */
    static JsonNode backend(JsonNode body, String id) {
        return find(body.get("backends"), "id", id);
    }

    /** The plugin from {@code source} in a {@code GET /v1/backends} body. */
    static JsonNode plugin(JsonNode body, String source) {
        return find(body.get("plugins"), "source", source);
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode element : array) {
            if (element.get(field).asText().equals(value)) {
                return element;
            }
        }
        throw new AssertionError("no element with " + field + " '" + value + "' in " + array.toPrettyString());
    }
}
