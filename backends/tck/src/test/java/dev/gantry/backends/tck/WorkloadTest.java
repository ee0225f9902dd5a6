package dev.gantry.backends.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.gantry.spi.Secret;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void withersChangeOnlyTheirOwnPart() {
        Workload workload = Workload.exitingWith(3)
                .sleeping(Duration.ofSeconds(2))
                .printing(List.of("out"))
                .printingErrors(List.of("err"))
                .spawningChild()
                .ignoringStopRequest()
                .reportingSecret(Secret.Target.ENV, "TOKEN");

        assertThat(workload).isEqualTo(new Workload(3, Duration.ofSeconds(2), List.of("out"), List.of("err"), true,
                true, List.of(new Workload.SecretReport(Secret.Target.ENV, "TOKEN"))));
    }

    @Test
    void exitCodeOutsideShellRangeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> Workload.exitingWith(126));
    }

    @Test
    void negativeSleepIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Workload.exitingWith(0).sleeping(Duration.ofSeconds(-1)));
    }

    @Test
    void lineWithControlCharacterIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Workload.exitingWith(0).printing(List.of("two\nlines")))
                .withMessageContaining("stdoutLines");
    }

    @Test
    void secretReportsAccumulateInOrder() {
        Workload workload = Workload.exitingWith(0)
                .reportingSecret(Secret.Target.FILE, "B")
                .reportingSecret(Secret.Target.ENV, "A");

        assertThat(workload.secretReports()).containsExactly(
                new Workload.SecretReport(Secret.Target.FILE, "B"),
                new Workload.SecretReport(Secret.Target.ENV, "A"));
    }

    @Test
    void secretReportShowsSha256OfValueInLowerCaseHex() {
        String report = Workload.secretReport("TOKEN", "abc");

        assertThat(report)
                .isEqualTo("secret TOKEN sha256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void missingSecretReportNamesTheSecret() {
        assertThat(Workload.missingSecretReport("TOKEN")).isEqualTo("secret TOKEN missing");
    }

    @Test
    void secretNameThatIsNoShellVariableIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Workload.exitingWith(0).reportingSecret(Secret.Target.ENV, "a-b"))
                .withMessageContaining("'a-b'");
    }
}
