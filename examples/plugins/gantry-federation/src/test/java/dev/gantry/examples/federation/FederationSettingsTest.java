package dev.gantry.examples.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gantry.spi.BackendException;
import dev.gantry.spi.Resources;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FederationSettingsTest {

    @Test
    void onlyTheUrlIsRequiredAndEverythingElseHasADefault() throws BackendException {
        FederationSettings settings = FederationSettings.parse(Map.of("url", "https://gantry.example.com/"));

        assertThat(settings.url()).isEqualTo(URI.create("https://gantry.example.com"));
        assertThat(settings.tenant()).isEqualTo(FederationSettings.DEFAULT_TENANT);
        assertThat(settings.slots()).isEqualTo(FederationSettings.DEFAULT_SLOTS);
        assertThat(settings.region()).isEqualTo(FederationSettings.DEFAULT_REGION);
        assertThat(settings.labels()).isEmpty();
        assertThat(settings.requestTimeout()).isEqualTo(FederationSettings.DEFAULT_REQUEST_TIMEOUT);
        assertThat(settings.total()).isEqualTo(
                new Resources(FederationSettings.DEFAULT_CPU, FederationSettings.DEFAULT_MEMORY_BYTES, 0));
    }

    @Test
    void everyKeyIsRead() throws BackendException {
        Map<String, String> raw = Map.of(
                "url", "http://10.0.0.7:8080/gantry",
                "tenant", "on-prem",
                "slots", "3",
                "region", "eu-west-1",
                "labels", "tier=cloud, owner=batch",
                "request-timeout", "PT2.5S",
                "cpu", "12.5",
                "memory", "64Gi",
                "gpu", "2");

        FederationSettings settings = FederationSettings.parse(raw);

        assertThat(settings).isEqualTo(new FederationSettings(
                URI.create("http://10.0.0.7:8080/gantry"), "on-prem", 3, "eu-west-1",
                Map.of("tier", "cloud", "owner", "batch"), Duration.ofMillis(2500),
                new Resources(12.5, 64L << 30, 2)));
    }

    @Test
    void everyProblemIsReportedInOneFailure() {
        Map<String, String> raw = Map.of(
                "tenant", " ",
                "slots", "many",
                "labels", "tier",
                "request-timeout", "0s",
                "cpu", "-1",
                "gpu", "1.5");

        BackendException failure = catchThrowableOfType(BackendException.class, () -> FederationSettings.parse(raw));

        assertThat(failure.kind()).isEqualTo(BackendException.Kind.BAD_REQUEST);
        assertThat(failure.getMessage()).contains(
                "url is required", "tenant ' '", "slots 'many'", "labels 'tier'", "request-timeout '0s'", "cpu '-1'",
                "gpu '1.5'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gantry.example.com", "ftp://gantry.example.com", "https://h.example.com/x?y=1", "http://"})
    void urlMustBeHttpWithAHostAndNoQuery(String url) {
        BackendException failure = catchThrowableOfType(BackendException.class,
                () -> FederationSettings.parse(Map.of("url", url)));

        assertThat(failure.getMessage()).contains("url '" + url + "'");
    }
}
