package dev.gantry.backends.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.spi.BackendException;
import dev.gantry.spi.Price;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
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
                Map.of(),
                Optional.empty(),
                LocalProcessConfiguration.CgroupMode.AUTO,
                Optional.empty()));
    }

    @Test
    void everyKeyIsMapped() throws BackendException {
        Map<String, String> settings = Map.ofEntries(
                Map.entry("slots", "3"),
                Map.entry("cpu", "2.5"),
                Map.entry("memory", "512Mi"),
                Map.entry("max-log-bytes", "1Gi"),
                Map.entry("kill-grace", "PT30S"),
                Map.entry("region", "eu-lab"),
                Map.entry("labels", "tier=on-prem, gpu=none"),
                Map.entry("price-per-cpu-hour", "0.04"),
                Map.entry("price-per-gib-hour", "0.005"),
                Map.entry("currency", "EUR"),
                Map.entry("cgroups", "required"),
                Map.entry("cgroup-root", "/sys/fs/cgroup/delegated"));

        LocalProcessConfiguration configuration =
                LocalProcessConfiguration.fromSettings(settings, HOST_PROCESSORS, HOST_MEMORY);

        assertThat(configuration).isEqualTo(new LocalProcessConfiguration(
                3,
                2.5,
                512L << 20,
                1L << 30,
                Duration.ofSeconds(30),
                "eu-lab",
                Map.of("tier", "on-prem", "gpu", "none"),
                Optional.of(new Price("EUR", 0.04, 0.005, 0, false)),
                LocalProcessConfiguration.CgroupMode.REQUIRED,
                Optional.of(Path.of("/sys/fs/cgroup/delegated"))));
        assertThat(LocalProcessConfiguration.KEYS).containsExactlyInAnyOrderElementsOf(settings.keySet());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> settings = Map.ofEntries(
                Map.entry("slots", "0"),
                Map.entry("cpu", "many"),
                Map.entry("memory", "2 bushels"),
                Map.entry("max-log-bytes", "-1"),
                Map.entry("kill-grace", "soon"),
                Map.entry("region", " "),
                Map.entry("labels", "tier"),
                Map.entry("price-per-cpu-hour", "-1"),
                Map.entry("price-per-gib-hour", "free"),
                Map.entry("currency", "euro"),
                Map.entry("cgroups", "sometimes"),
                Map.entry("cgroup-root", "relative/path"));

        BackendException failure = catchThrowableOfType(BackendException.class,
                () -> LocalProcessConfiguration.fromSettings(settings, HOST_PROCESSORS, HOST_MEMORY));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains(
                "slots '0'", "cpu 'many'", "memory '2 bushels'", "max-log-bytes '-1'", "kill-grace 'soon'",
                "region ' '", "labels 'tier'", "price-per-cpu-hour '-1'", "price-per-gib-hour 'free'",
                "currency 'euro'", "cgroups 'sometimes' must be one of auto, off, required",
                "cgroup-root 'relative/path' must be an absolute path");
    }

    @Test
    void oneRateIsEnoughForAPriceInDollars() throws BackendException {
        LocalProcessConfiguration configuration = LocalProcessConfiguration.fromSettings(
                Map.of("price-per-gib-hour", "0.01"), HOST_PROCESSORS, HOST_MEMORY);

        assertThat(configuration.price()).hasValue(new Price("USD", 0, 0.01, 0, false));
    }

    @Test
    void currencyWithoutARateIsAProblem() {
        BackendException failure = catchThrowableOfType(BackendException.class,
                () -> LocalProcessConfiguration.fromSettings(Map.of("currency", "EUR"), HOST_PROCESSORS, HOST_MEMORY));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage())
                .contains("currency 'EUR' applies only together with price-per-cpu-hour or price-per-gib-hour");
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
