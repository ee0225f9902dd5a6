package dev.gantry.backends.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.spi.BackendException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalProcessConfigurationTest {

    private static final int HOST_PROCESSORS = 6;
    private static final long HOST_MEMORY = 8L << 30;

    @Test
    void absentSettingsTakeTheDefaults() throws BackendException {
        LocalProcessConfiguration configuration =
                LocalProcessConfiguration.fromSettings(Map.of(), HOST_PROCESSORS, HOST_MEMORY);

        assertThat(configuration).isEqualTo(new LocalProcessConfiguration(
                HOST_PROCESSORS,
                HOST_PROCESSORS,
                HOST_MEMORY,
                16L << 20,
                Duration.ofSeconds(10),
                "local",
                Map.of()));
    }

    @Test
    void everyKeyIsMapped() throws BackendException {
        Map<String, String> settings = Map.of(
                "slots", "3",
                "cpu", "2.5",
                "memory", "512Mi",
                "max-log-bytes", "1Gi",
                "kill-grace", "PT30S",
                "region", "eu-lab",
                "labels", "tier=on-prem, gpu=none");

        LocalProcessConfiguration configuration =
                LocalProcessConfiguration.fromSettings(settings, HOST_PROCESSORS, HOST_MEMORY);

        assertThat(configuration).isEqualTo(new LocalProcessConfiguration(
                3,
                2.5,
                512L << 20,
                1L << 30,
                Duration.ofSeconds(30),
                "eu-lab",
                Map.of("tier", "on-prem", "gpu", "none")));
        assertThat(LocalProcessConfiguration.KEYS).containsExactlyInAnyOrderElementsOf(settings.keySet());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> settings = Map.of(
                "slots", "0",
                "cpu", "many",
                "memory", "2 bushels",
                "max-log-bytes", "-1",
                "kill-grace", "soon",
                "region", " ",
                "labels", "tier");

        BackendException failure = catchThrowableOfType(BackendException.class,
                () -> LocalProcessConfiguration.fromSettings(settings, HOST_PROCESSORS, HOST_MEMORY));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains(
                "slots '0'", "cpu 'many'", "memory '2 bushels'", "max-log-bytes '-1'", "kill-grace 'soon'",
                "region ' '", "labels 'tier'");
    }

    @Test
    void unknownKeysAreIgnored() throws BackendException {
        LocalProcessConfiguration configuration =
                LocalProcessConfiguration.fromSettings(Map.of("type", "local-process"), HOST_PROCESSORS, HOST_MEMORY);

        assertThat(configuration.slots()).isEqualTo(HOST_PROCESSORS);
    }

    @Test
    void hostDefaultsComeFromThisMachine() throws BackendException {
        LocalProcessConfiguration configuration = LocalProcessConfiguration.fromSettings(Map.of());

        assertThat(configuration.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(configuration.memoryBytes()).isPositive();
    }
}
