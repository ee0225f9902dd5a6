package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @ParameterizedTest
    @CsvSource({"0, 0.0", "0.045, 0.045", "' 12 ', 12.0"})
    void nonNegativeNumbersIncludeZero(String raw, double expected) {
        SettingsReader reader = new SettingsReader(Map.of("rate", raw));

        double value = reader.nonNegativeNumber("rate", 7);

        assertThat(value).isEqualTo(expected);
        assertThat(reader.problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-0.1", "NaN", "Infinity", "cheap"})
    void negativeOrNonFiniteNumberIsAProblem(String raw) {
        SettingsReader reader = new SettingsReader(Map.of("rate", raw));

        double value = reader.nonNegativeNumber("rate", 7);

        assertThat(value).isEqualTo(7);
        assertThat(reader.problems()).containsExactly("rate '" + raw + "' must be a number of at least 0");
    }

    @Test
    void currencyCodeIsThreeUpperCaseLetters() {
        SettingsReader reader = new SettingsReader(Map.of("good", " EUR ", "bad", "euro"));

        assertThat(reader.currencyCode("good", "USD")).isEqualTo("EUR");
        assertThat(reader.currencyCode("bad", "USD")).isEqualTo("USD");
        assertThat(reader.currencyCode("absent", "USD")).isEqualTo("USD");
        assertThat(reader.problems())
                .containsExactly("bad 'euro' must be an ISO 4217 currency code such as USD or EUR");
    }

    @Test
    void settingThatNeedsAnotherIsAProblemAlone() {
        SettingsReader alone = new SettingsReader(Map.of("currency", "EUR"));
        SettingsReader together = new SettingsReader(Map.of("currency", "EUR", "rate", "1"));

        alone.requireOneOfWhenSet("currency", List.of("rate", "other-rate"));
        together.requireOneOfWhenSet("currency", List.of("rate", "other-rate"));

        assertThat(alone.problems())
                .containsExactly("currency 'EUR' applies only together with rate or other-rate");
        assertThat(together.problems()).isEmpty();
    }

    @Test
    void choiceIsAConstantNamedInLowerCaseWithHyphens() {
        SettingsReader reader = new SettingsReader(Map.of("good", " level-two ", "bad", "LEVEL_TWO"));

        assertThat(reader.choice("good", Level.class, Level.ONE)).isEqualTo(Level.LEVEL_TWO);
        assertThat(reader.choice("bad", Level.class, Level.ONE)).isEqualTo(Level.ONE);
        assertThat(reader.choice("absent", Level.class, Level.ONE)).isEqualTo(Level.ONE);
        assertThat(reader.problems()).containsExactly("bad 'LEVEL_TWO' must be one of one, level-two");
    }

    @Test
    void pathMustBeAbsolute() {
        SettingsReader reader = new SettingsReader(Map.of("good", "/a/./b/", "bad", "a/b"));

        assertThat(reader.absolutePath("good")).hasValue(Path.of("/a/b"));
        assertThat(reader.absolutePath("bad")).isEmpty();
        assertThat(reader.absolutePath("absent")).isEmpty();
        assertThat(reader.problems()).containsExactly("bad 'a/b' must be an absolute path");
    }

    private enum Level {
        ONE,
        LEVEL_TWO
    }
}
