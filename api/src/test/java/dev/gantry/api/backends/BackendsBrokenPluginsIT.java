package dev.gantry.api.backends;

import static dev.gantry.api.backends.BackendsTesting.backend;
import static dev.gantry.api.backends.BackendsTesting.plugin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import dev.gantry.plugins.TestPlugins;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A control plane with a plugin built for a newer SPI and a plugin whose backend cannot be
 * created: it starts anyway, says why each failed, and runs work on the local backend.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsBrokenPluginsIT implements ControlPlaneTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        Path plugins = BackendsTesting.newPluginsDir();
        TestPlugins.plugin("acme.future", "future", "2.0", TestPlugins.CREATE_BACKEND)
                .writeJar(plugins.resolve("future.jar"));
        TestPlugins.plugin("acme.throwing", "throwing", "1.0",
                        "throw new BackendException(BackendException.Kind.BAD_REQUEST, "
                                + "\"setting 'endpoint' is required\");")
                .writeJar(plugins.resolve("throwing.jar"));
        return Map.of(
                "gantry.plugins-dir", plugins.toString(),
                "gantry.backends.future.type", "future",
                "gantry.backends.throwing.type", "throwing");
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void controlPlaneIsHealthy() {
        assertThat(api.get("/health").status()).isEqualTo(200);
    }

    @Test
    void pluginBuiltForAnotherSpiIsRefusedNamingBothVersions() {
        JsonNode body = api.get("/v1/backends").json();

        JsonNode plugin = plugin(body, "future.jar");
        assertThat(plugin.get("status").asText()).isEqualTo("FAILED");
        assertThat(plugin.get("error").asText()).isEqualTo("plugin 'future.jar' factory 'future' was built for "
                + "Gantry SPI 2.0; this control plane supports SPI 1.x (1.0)");
        JsonNode future = backend(body, "future");
        assertThat(future.get("status").asText()).isEqualTo("FAILED");
        assertThat(future.get("error").asText()).startsWith("no backend plugin of type 'future' is installed; ")
                .contains("local-process", "throwing")
                .endsWith("refused plugins: future.jar");
    }

    @Test
    void backendThatThrowsAtCreateIsFailedWithItsReason() {
        JsonNode body = api.get("/v1/backends").json();

        assertThat(plugin(body, "throwing.jar").get("status").asText()).isEqualTo("LOADED");
        JsonNode throwing = backend(body, "throwing");
        assertThat(throwing.get("status").asText()).isEqualTo("FAILED");
        assertThat(throwing.get("error").asText()).isEqualTo("setting 'endpoint' is required");
        assertThat(throwing.get("source").asText()).isEqualTo("throwing.jar");
        assertThat(throwing.get("capacity").isNull()).isTrue();
    }

    @Test
    void jobStillCompletesOnTheLocalBackend() {
        String id = api.submit("{\"tenant\": \"acme\", \"command\": [\"true\"]}");

        JsonNode job = api.awaitState(id, "COMPLETED", WAIT);

        assertThat(job.get("attempts").get(0).get("backend").asText()).isEqualTo("local");
    }
}
