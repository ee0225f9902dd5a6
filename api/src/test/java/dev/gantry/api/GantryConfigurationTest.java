package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GantryConfigurationTest {

    @Test
    void defaultsAreTheDocumentedConstants() {
        var configuration = new GantryConfiguration();

        assertThat(configuration.getDataDir())
                .isEqualTo(GantryConfiguration.DEFAULT_DATA_DIR.toAbsolutePath().normalize());
        assertThat(configuration.getPluginsDir()).isEqualTo(GantryConfiguration.DEFAULT_PLUGINS_DIR);
        assertThat(configuration.getDefaultJobTimeout()).isEqualTo(GantryConfiguration.DEFAULT_JOB_TIMEOUT);
        assertThat(configuration.getCancelGrace()).isEqualTo(GantryConfiguration.DEFAULT_CANCEL_GRACE);
        assertThat(configuration.getSchedulerInterval()).isEqualTo(GantryConfiguration.DEFAULT_SCHEDULER_INTERVAL);
        assertThat(configuration.getMonitorInterval()).isEqualTo(GantryConfiguration.DEFAULT_MONITOR_INTERVAL);
    }

    @Test
    void relativeDataDirectoryIsMadeAbsolute() {
        var configuration = new GantryConfiguration();

        configuration.setDataDir(Path.of("somewhere/../data"));

        assertThat(configuration.getDataDir()).isAbsolute();
        assertThat(configuration.getDataDir().getFileName()).isEqualTo(Path.of("data"));
    }
}
