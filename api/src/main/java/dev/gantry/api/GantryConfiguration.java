package dev.gantry.api;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Control plane settings under {@value #PREFIX}.
 */
@ConfigurationProperties(GantryConfiguration.PREFIX)
public class GantryConfiguration {

    public static final String PREFIX = "gantry";
    public static final Duration DEFAULT_JOB_TIMEOUT = Duration.ofHours(1);
    public static final Duration DEFAULT_CANCEL_GRACE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_SCHEDULER_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_MONITOR_INTERVAL = Duration.ofMillis(250);
    public static final Path DEFAULT_PLUGINS_DIR = Path.of("./plugins");
    public static final Path DEFAULT_DATA_DIR = Path.of("./data");

    private Path dataDir = DEFAULT_DATA_DIR;
    private Path pluginsDir = DEFAULT_PLUGINS_DIR;
    private Duration defaultJobTimeout = DEFAULT_JOB_TIMEOUT;
    private Duration cancelGrace = DEFAULT_CANCEL_GRACE;
    private Duration schedulerInterval = DEFAULT_SCHEDULER_INTERVAL;
    private Duration monitorInterval = DEFAULT_MONITOR_INTERVAL;

    /** Where the database, backend records and job output live, as an absolute path; {@code GANTRY_DATA_DIR}. */
    public Path getDataDir() {
        return dataDir.toAbsolutePath().normalize();
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    /**
     * Where backend plugins are installed, one jar or one directory of jars per plugin; read once
     * at start. A directory that does not exist holds no plugins. {@code GANTRY_PLUGINS_DIR}.
     */
    public Path getPluginsDir() {
        return pluginsDir;
    }

    public void setPluginsDir(Path pluginsDir) {
        this.pluginsDir = pluginsDir;
    }

    /** The timeout a job gets when its descriptor names none. */
    public Duration getDefaultJobTimeout() {
        return defaultJobTimeout;
    }

    public void setDefaultJobTimeout(Duration defaultJobTimeout) {
        this.defaultJobTimeout = defaultJobTimeout;
    }

    /** How long a cancelled or timed-out run has between SIGTERM and SIGKILL. */
    public Duration getCancelGrace() {
        return cancelGrace;
    }

    public void setCancelGrace(Duration cancelGrace) {
        this.cancelGrace = cancelGrace;
    }

    /** How often the scheduler looks for runnable jobs when nothing wakes it sooner. */
    public Duration getSchedulerInterval() {
        return schedulerInterval;
    }

    public void setSchedulerInterval(Duration schedulerInterval) {
        this.schedulerInterval = schedulerInterval;
    }

    /** How often active attempts are polled for their status. */
    public Duration getMonitorInterval() {
        return monitorInterval;
    }

    public void setMonitorInterval(Duration monitorInterval) {
        this.monitorInterval = monitorInterval;
    }
}
