package dev.gantry.policy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpaServerConfigurationTest {

    private static final URI URL = URI.create("http://127.0.0.1:8181");

    @Test
    void defaultsHaveNoTokenAndShortTimeouts() {
        OpaServerConfiguration configuration = OpaServerConfiguration.of(URL);

        assertThat(configuration.url()).isEqualTo(URL);
        assertThat(configuration.bearerToken()).isEmpty();
        assertThat(configuration.connectTimeout()).isEqualTo(OpaServerConfiguration.DEFAULT_CONNECT_TIMEOUT);
        assertThat(configuration.requestTimeout()).isEqualTo(OpaServerConfiguration.DEFAULT_REQUEST_TIMEOUT);
    }

    @Test
    void everySettingIsKept() {
        OpaServerConfiguration configuration = OpaServerConfiguration.of(URL)
                .withBearerToken("t0ken")
                .withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(9));

        assertThat(configuration).isEqualTo(new OpaServerConfiguration(
                URL, Optional.of("t0ken"), Duration.ofMillis(300), Duration.ofSeconds(9)));
    }

    @Test
    void tokenIsMaskedWhenShown() {
        OpaServerConfiguration configuration = OpaServerConfiguration.of(URL).withBearerToken("t0ken");

        assertThat(configuration.toString()).doesNotContain("t0ken").contains("bearerToken=******");
    }

    @Test
    void urlMustBeHttp() {
        assertThatThrownBy(() -> OpaServerConfiguration.of(URI.create("file:///tmp/opa")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("url");
    }

    @Test
    void timeoutsMustBePositive() {
        assertThatThrownBy(() -> OpaServerConfiguration.of(URL).withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectTimeout");
    }
}
