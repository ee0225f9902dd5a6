package dev.gantry.api.backends;

import static dev.gantry.api.backends.BackendsTesting.backend;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import dev.gantry.plugins.TestPlugins;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Backends from a plugin in the plugins directory, one of which fails to report its capacity. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsDegradedIT implements ControlPlaneTestSupport {

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        Path plugins = BackendsTesting.newPluginsDir();
        TestPlugins.plugin("acme.steady", "steady", "1.0", TestPlugins.CREATE_FROM_SETTINGS)
                .writeJar(plugins.resolve("steady.jar"));
        return Map.of(
                "gantry.plugins-dir", plugins.toString(),
                "gantry.backends.steady.type", "steady",
                "gantry.backends.shaky.type", "steady",
                "gantry.backends.shaky." + TestPlugins.CAPACITY_ERROR, "cluster unreachable");
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void pluginBackendIsUpAndWasCalledInItsOwnClassLoader() {
        JsonNode steady = backend(api.get("/v1/backends").json(), "steady");

        assertThat(steady.get("status").asText()).isEqualTo("UP");
        assertThat(steady.get("source").asText()).isEqualTo("steady.jar");
        assertThat(steady.get("region").asText()).isEqualTo("test");
        assertThat(steady.get("labels").get(TestPlugins.CREATED_LABEL).asText()).isEqualTo("true");
        assertThat(steady.get("labels").get(TestPlugins.CONTEXT_LABEL).asText()).isEqualTo("true");
        assertThat(steady.get("capacity").get("freeSlots").asInt()).isEqualTo(1);
    }

    @Test
    void backendWhoseCapacityFailsIsDegradedWithTheError() {
        ApiClient.Response response = api.get("/v1/backends/shaky");

        assertThat(response.status()).isEqualTo(200);
        JsonNode shaky = response.json();
        assertThat(shaky.get("status").asText()).isEqualTo("DEGRADED");
        assertThat(shaky.get("error").asText())
                .isEqualTo("capacity() failed: IllegalStateException: cluster unreachable");
        assertThat(shaky.get("region").asText()).isEqualTo("test");
        assertThat(shaky.get("capacity").isNull()).isTrue();
    }
}
