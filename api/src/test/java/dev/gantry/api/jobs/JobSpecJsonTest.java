package dev.gantry.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.GantryConfiguration;
import dev.gantry.api.web.FieldError;
import dev.gantry.api.web.InvalidRequestException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobSpecJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final JobSpecJson specs = new JobSpecJson(new GantryConfiguration(), mapper);

    @Test
    void minimalDescriptorGetsEveryDefault() throws Exception {
        JobSpec spec = specs.parse(mapper.readTree("{\"command\": [\"/usr/bin/true\"]}"));

        assertThat(spec.name()).isEqualTo("true");
        assertThat(spec.tenant()).isEmpty();
        assertThat(spec.timeout()).isEqualTo(GantryConfiguration.DEFAULT_JOB_TIMEOUT);
        assertThat(spec.resources().cpu()).isEqualTo(1.0);
        assertThat(spec.resources().memoryBytes()).isEqualTo(512L << 20);
        assertThat(spec.retry().maxAttempts()).isEqualTo(1);
        assertThat(spec.priority()).isZero();
    }

    @Test
    void fullDescriptorIsReadAndWrittenBackUnchanged() throws Exception {
        String json = """
                {"name": "nightly", "tenant": "acme", "labels": {"team": "data"}, "command": ["run", "--all"],
                 "env": {"MODE": "full"}, "workingDir": "work", "resources": {"cpu": 2.5, "memory": "2Gi", "gpu": 1},
                 "timeout": "PT30M", "retry": {"maxAttempts": 4, "backoff": {"initial": "PT2S", "max": "PT1M",
                 "multiplier": 3}}, "placement": {"backends": ["local"], "region": "eu", "labels": {"tier": "on-prem"},
                 "interruptible": true}, "priority": 7}""";

        JobSpec spec = specs.parse(mapper.readTree(json));
        JobSpec again = specs.read(specs.toText(spec));

        assertThat(again).isEqualTo(spec);
        assertThat(spec.resources().memoryBytes()).isEqualTo(2L << 30);
        assertThat(spec.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(spec.placement().interruptible()).isTrue();
    }

    @Test
    void interruptibleMustBeABoolean() throws Exception {
        var error = catchThrowableOfType(InvalidRequestException.class, () -> specs.parse(mapper.readTree(
                "{\"command\": [\"true\"], \"placement\": {\"interruptible\": \"yes\"}}")));

        assertThat(error.errors()).containsExactly(new FieldError("placement.interruptible", "must be true or false"));
    }

    @Test
    void defaultLabelsFillOnlyWhatTheJobLacksAndAreChecked() throws Exception {
        JobSpec spec = specs.parse(mapper.readTree("{\"command\": [\"true\"], \"labels\": {\"team\": \"data\"}}"));

        JobSpec withDefaults = specs.withDefaultLabels(spec, Map.of("team", "ops", "cost-centre", "cc-7"));

        assertThat(withDefaults.labels())
                .containsExactlyInAnyOrderEntriesOf(Map.of("team", "data", "cost-centre", "cc-7"));
        var error = catchThrowableOfType(InvalidRequestException.class,
                () -> specs.withDefaultLabels(spec, Map.of("not a name!", "x")));
        assertThat(error.errors()).extracting(FieldError::field).containsExactly("labels.not a name!");
    }

    @Test
    void backoffGrowsAndStopsAtItsCap() {
        var retry = new JobSpec.RetrySpec(10, Duration.ofSeconds(1), Duration.ofSeconds(5), 2.0);

        assertThat(retry.backoffBefore(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.backoffBefore(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(retry.backoffBefore(4)).isEqualTo(Duration.ofSeconds(4));
        assertThat(retry.backoffBefore(5)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void nestedUnknownFieldIsNamedWithItsPath() throws Exception {
        var error = catchThrowableOfType(InvalidRequestException.class,
                () -> specs.parse(mapper.readTree("{\"command\": [\"true\"], \"resources\": {\"cpus\": 2}}")));

        assertThat(error.errors()).extracting(FieldError::field).containsExactly("resources.cpus");
    }
}
