package dev.gantry.api.backends;

import static dev.gantry.api.backends.BackendsTesting.backend;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsTwoLocalIT implements ControlPlaneTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        Map<String, String> properties = new HashMap<>();
        properties.put("gantry.plugins-dir", BackendsTesting.absentPluginsDir());
        for (String id : new String[] {"a", "b"}) {
            properties.put("gantry.backends." + id + ".type", "local-process");
            properties.put("gantry.backends." + id + ".slots", "2");
            properties.put("gantry.backends." + id + ".kill-grace", "1s");
        }
        return properties;
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void twoBackendsOfOneTypeAreBothUp() {
        JsonNode body = api.get("/v1/backends").json();

        for (String id : new String[] {"a", "b"}) {
            JsonNode backend = backend(body, id);
            assertThat(backend.get("type").asText()).isEqualTo("local-process");
            assertThat(backend.get("status").asText()).isEqualTo("UP");
            assertThat(backend.get("capacity").get("totalSlots").asInt()).isEqualTo(2);
        }
    }

    @Test
    void jobPlacedOnTheSecondInstanceRunsThere() {
        String id = api.submit("""
                {"tenant": "acme", "command": ["true"], "placement": {"backends": ["b"]}}""");

        JsonNode job = api.awaitState(id, "COMPLETED", WAIT);

        assertThat(job.get("attempts")).hasSize(1);
        assertThat(job.get("attempts").get(0).get("backend").asText()).isEqualTo("b");
    }
}
