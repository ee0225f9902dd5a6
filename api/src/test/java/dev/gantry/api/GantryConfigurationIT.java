package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every {@code gantry.*} key reaches {@link GantryConfiguration}. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GantryConfigurationIT implements ControlPlaneTestSupport {

    @Inject
    GantryConfiguration configuration;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of(
                "gantry.plugins-dir", "/opt/gantry/plugins",
                "gantry.default-job-timeout", "15m",
                "gantry.scheduler-interval", "2s",
                "gantry.monitor-interval", "300ms");
    }

    @Test
    void everyKeyIsMapped() {
        assertThat(configuration.getDataDir().getFileName().toString()).startsWith("gantry-test-");
        assertThat(configuration.getPluginsDir()).isEqualTo(Path.of("/opt/gantry/plugins"));
        assertThat(configuration.getDefaultJobTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(configuration.getCancelGrace()).isEqualTo(Duration.ofSeconds(1));
        assertThat(configuration.getSchedulerInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(configuration.getMonitorInterval()).isEqualTo(Duration.ofMillis(300));
    }
}
