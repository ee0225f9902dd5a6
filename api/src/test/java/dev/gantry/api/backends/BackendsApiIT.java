package dev.gantry.api.backends;

import static dev.gantry.api.backends.BackendsTesting.backend;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsApiIT implements ControlPlaneTestSupport {

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of(
                "gantry.plugins-dir", BackendsTesting.absentPluginsDir(),
                "gantry.backends.mystery.type", "no-such-type");
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void listsTheConfiguredLocalBackendUpWithItsCapacity() {
        ApiClient.Response response = api.get("/v1/backends");

        assertThat(response.status()).isEqualTo(200);
        JsonNode local = backend(response.json(), "local");
        assertThat(local.get("type").asText()).isEqualTo("local-process");
        assertThat(local.get("status").asText()).isEqualTo("UP");
        assertThat(local.get("error").isNull()).isTrue();
        assertThat(local.get("source").asText()).startsWith("classpath:");
        assertThat(local.get("region").asText()).isNotBlank();
        assertThat(local.get("capabilities").size()).isEqualTo(5);
        JsonNode capacity = local.get("capacity");
        assertThat(capacity.get("total").get("cpu").asDouble()).isEqualTo(16.0);
        assertThat(capacity.get("total").get("memoryBytes").asLong()).isEqualTo(64L << 30);
        assertThat(capacity.get("totalSlots").asInt()).isEqualTo(8);
        assertThat(capacity.get("free").has("gpu")).isTrue();
        assertThat(capacity.has("freeSlots")).isTrue();
        assertThat(local.has("price")).isTrue();
    }

    @Test
    void listsTheShippedPluginAsLoaded() {
        JsonNode plugins = api.get("/v1/backends").json().get("plugins");

        assertThat(plugins).anySatisfy(plugin -> {
            assertThat(plugin.get("source").asText()).startsWith("classpath:");
            assertThat(plugin.get("status").asText()).isEqualTo("LOADED");
            assertThat(plugin.get("types")).extracting(JsonNode::asText).contains("local-process");
            assertThat(plugin.get("error").isNull()).isTrue();
        });
    }

    @Test
    void backendOfAnUnknownTypeIsFailedWithTheInstalledTypes() {
        JsonNode mystery = backend(api.get("/v1/backends").json(), "mystery");

        assertThat(mystery.get("status").asText()).isEqualTo("FAILED");
        assertThat(mystery.get("error").asText())
                .isEqualTo("no backend plugin of type 'no-such-type' is installed; installed types: local-process");
        assertThat(mystery.get("capacity").isNull()).isTrue();
        assertThat(mystery.get("source").isNull()).isTrue();
    }

    @Test
    void oneBackendIsReadById() {
        ApiClient.Response response = api.get("/v1/backends/local");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("id").asText()).isEqualTo("local");
        assertThat(response.json().get("status").asText()).isEqualTo("UP");
    }

    @Test
    void unknownBackendIdIsANotFoundProblem() {
        ApiClient.Response response = api.get("/v1/backends/nowhere");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asText()).isEqualTo("https://gantry.dev/problems/backend-not-found");
        assertThat(response.json().get("detail").asText()).isEqualTo("no backend with id 'nowhere'");
    }
}
