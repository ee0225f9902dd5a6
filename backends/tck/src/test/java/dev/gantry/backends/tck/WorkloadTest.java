package dev.gantry.backends.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

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
                .ignoringStopRequest();

        assertThat(workload)
                .isEqualTo(new Workload(3, Duration.ofSeconds(2), List.of("out"), List.of("err"), true, true));
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
}
