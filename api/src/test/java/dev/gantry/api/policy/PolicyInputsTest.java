package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.GantryConfiguration;
import dev.gantry.api.jobs.JobSpec;
import dev.gantry.api.jobs.JobSpecJson;
import dev.gantry.api.jobs.TenantUsage;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class PolicyInputsTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final JobSpecJson specs = new JobSpecJson(new GantryConfiguration(), mapper);
    private final PolicyInputs inputs =
            new PolicyInputs(mapper, Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC));

    @Test
    void admissionInputCarriesTheTenantsUsage() throws Exception {
        var usage = new TenantUsage(1, 3, 4.5, 6L << 30);

        JsonNode input = mapper.readTree(inputs.admission(spec(), usage));

        assertThat(input.get("usage")).isEqualTo(mapper.readTree("""
                {"runningJobs": 1, "queuedJobs": 3, "cpu": 4.5, "memoryBytes": 6442450944}"""));
        assertThat(input.get("job").get("tenant").asText()).isEqualTo("acme");
    }

    @Test
    void admissionInputWithoutUsageLeavesItOut() throws Exception {
        JsonNode input = mapper.readTree(inputs.admission(spec(), null));

        assertThat(input.has("usage")).isFalse();
    }

    private JobSpec spec() throws Exception {
        return specs.parse(mapper.readTree("{\"tenant\": \"acme\", \"command\": [\"true\"]}"));
    }
}
