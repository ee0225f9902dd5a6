package dev.gantry.api;

import io.micronaut.test.support.TestPropertyProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Settings for a control plane started inside a test: its own temporary data directory, a random
 * port, one local-process backend with room for the test's jobs, and short grace periods.
 */
public interface ControlPlaneTestSupport extends TestPropertyProvider {

    @Override
    default Map<String, String> getProperties() {
        Path dataDir;
        try {
            Path target = Files.createDirectories(Path.of("target"));
            dataDir = Files.createTempDirectory(target, "gantry-test-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> properties = new HashMap<>();
        properties.put("gantry.data-dir", dataDir.toString());
        properties.put("micronaut.server.port", "-1");
        properties.put("gantry.cancel-grace", "1s");
        properties.put("gantry.backends.local.type", "local-process");
        properties.put("gantry.backends.local.slots", "8");
        properties.put("gantry.backends.local.cpu", "16");
        properties.put("gantry.backends.local.memory", "64Gi");
        properties.put("gantry.backends.local.kill-grace", "1s");
        properties.putAll(extraProperties());
        return properties;
    }

    /** Settings a test class adds or overrides. */
    default Map<String, String> extraProperties() {
        return Map.of();
    }
}
