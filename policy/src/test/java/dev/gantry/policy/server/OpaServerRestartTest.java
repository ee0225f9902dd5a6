package dev.gantry.policy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.policy.PolicyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real OPA server that dies and comes back: the engine fails closed meanwhile and recovers. */
class OpaServerRestartTest {

    private static final Path REGO = Path.of("src/main/rego");
    private static final Path ADMISSION = Path.of("src/test/resources/conformance/admission/01-valid.json");
    private static final Path PLACEMENT =
            Path.of("src/test/resources/conformance/placement/28-realistic-four-backends.json");

    @Test
    void killedServerFailsClosedAndRestartedServerAnswersAgain() throws Exception {
        String admission = Files.readString(ADMISSION);
        String placement = Files.readString(PLACEMENT);
        try (OpaServerProcess server = OpaServerProcess.start(REGO);
                OpaServerPolicyEngine engine = new OpaServerPolicyEngine(OpaServerConfiguration.of(server.url())
                        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2)))) {
            assertThat(engine.admit(admission).allowed()).isTrue();

            server.kill();

            assertThatThrownBy(() -> engine.admit(admission))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining(server.url().toString());
            assertThatThrownBy(() -> engine.place(placement))
                    .isInstanceOf(PolicyException.class)
                    .hasMessageContaining(server.url().toString());

            server.restart();

            assertThat(engine.admit(admission).allowed()).isTrue();
            assertThat(engine.place(placement).eligible()).isNotEmpty();
        }
    }
}
