package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {

    @ParameterizedTest
    @CsvSource({
        "1048576, 1048576",
        "512Mi, 536870912",
        "2Gi, 2147483648",
        "1.5Gi, 1610612736",
        "4k, 4000",
        "3M, 3000000",
        "1Ti, 1099511627776",
        "' 16 Ki ', 16384"
    })
    void byteSizesReadPlainOrWithUnit(String raw, long bytes) {
        assertThat(SettingsReader.parseByteSize(raw)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Mi", "12 bytes", "-1", "1e3", "99999999999Ti"})
    void malformedByteSizesAreRefused(String raw) {
        assertThatIllegalArgumentException().isThrownBy(() -> SettingsReader.parseByteSize(raw));
    }

    @ParameterizedTest
    @CsvSource({
        "PT10S, 10000",
        "pt1m30s, 90000",
        "10s, 10000",
        "500ms, 500",
        "0.5s, 500",
        "2m, 120000",
        "1h, 3600000",
        "1d, 86400000",
        "7, 7000"
    })
    void durationsReadIsoOrSimple(String raw, long millis) {
        assertThat(SettingsReader.parseDuration(raw)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void negativeDurationIsAProblem() {
        SettingsReader reader = new SettingsReader(Map.of("grace", "PT-1S"));

        Duration value = reader.duration("grace", Duration.ofSeconds(3));

        assertThat(value).isEqualTo(Duration.ofSeconds(3));
        assertThat(reader.problems()).containsExactly("grace 'PT-1S' must be a duration such as PT10S, 10s or 500ms");
    }

    @Test
    void duplicateLabelIsAProblem() {
        SettingsReader reader = new SettingsReader(Map.of("labels", "a=1,a=2"));

        reader.labels("labels");

        assertThat(reader.problems()).hasSize(1);
    }

    @Test
    void labelWithoutValueIsEmptyValue() {
        SettingsReader reader = new SettingsReader(Map.of("labels", "spot=, zone = b"));

        assertThat(reader.labels("labels")).isEqualTo(Map.of("spot", "", "zone", "b"));
        assertThat(reader.problems()).isEmpty();
    }
}
