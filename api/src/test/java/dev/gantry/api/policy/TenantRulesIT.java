package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The per-tenant rules of the default policies, applied by a running control plane from the
 * example tenants in the default data: {@code finance} must label a cost centre, {@code analytics}
 * may run only its listed programs, and {@code research} jobs get default labels.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantRulesIT implements ControlPlaneTestSupport {

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void requiredLabelIsEnforcedForItsTenantOnly() {
        ApiClient.Response unlabelled = api.post("/v1/jobs", """
                {"tenant": "finance", "command": ["true"]}""");

        assertThat(unlabelled.status()).isEqualTo(403);
        assertThat(unlabelled.json().get("reasons").toString())
                .contains("label 'cost-centre' is required for tenant 'finance'");
        assertThat(api.post("/v1/jobs", """
                {"tenant": "finance", "command": ["true"], "labels": {"cost-centre": "cc-1"}}""").status())
                .isEqualTo(201);
        assertThat(api.post("/v1/jobs", """
                {"tenant": "acme", "command": ["true"]}""").status()).isEqualTo(201);
    }

    @Test
    void tenantWithAnAllowListRunsOnlyThoseProgramsAndIsToldWhich() {
        ApiClient.Response shell = api.post("/v1/jobs", """
                {"tenant": "analytics", "command": ["/bin/sh", "-c", "true"]}""");

        assertThat(shell.status()).isEqualTo(403);
        assertThat(shell.json().get("reasons").toString())
                .contains("'/bin/sh' is not allowed for tenant 'analytics'").contains("'python3'");
        assertThat(api.post("/v1/policy/evaluate", """
                {"tenant": "analytics", "command": ["python3", "-c", "pass"]}""").json()
                .get("admission").get("allowed").asBoolean()).isTrue();
    }

    @Test
    void defaultLabelsAreAddedWhereTheJobHasNoneOfThatName() {
        String id = api.submit("""
                {"tenant": "research", "command": ["true"], "labels": {"retention": "7d"}}""");

        JsonNode job = api.get("/v1/jobs/" + id).json();

        assertThat(job.get("labels").get("cost-centre").asText()).isEqualTo("cc-research");
        assertThat(job.get("labels").get("retention").asText()).isEqualTo("7d");
        assertThat(job.get("spec").get("labels").get("cost-centre").asText()).isEqualTo("cc-research");
        assertThat(job.get("admission").get("defaultLabels").get("cost-centre").asText()).isEqualTo("cc-research");
        JsonNode listed = api.get("/v1/jobs?label=cost-centre=cc-research").json().get("jobs");
        assertThat(listed).anySatisfy(listedJob -> assertThat(listedJob.get("id").asText()).isEqualTo(id));
    }
}
