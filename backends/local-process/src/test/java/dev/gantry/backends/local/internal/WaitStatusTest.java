package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WaitStatusTest {

    @Test
    void normalExitCarriesItsCode() {
        assertThat(WaitStatus.decode(3 << 8)).isEqualTo(new WaitStatus(3, Optional.empty()));
    }

    @Test
    void killedProcessReportsShellStyleCodeAndSignalName() {
        assertThat(WaitStatus.decode(9)).isEqualTo(new WaitStatus(137, Optional.of("SIGKILL")));
    }

    @Test
    void coreDumpFlagDoesNotChangeTheSignal() {
        assertThat(WaitStatus.decode(0x80 | 11)).isEqualTo(new WaitStatus(139, Optional.of("SIGSEGV")));
    }

    @Test
    void stoppedProcessIsNotAnEnd() {
        assertThatIllegalArgumentException().isThrownBy(() -> WaitStatus.decode((19 << 8) | 0x7f));
    }

    @Test
    void signalNamesFollowLinuxNumbering() {
        assertThat(Signals.name(15)).isEqualTo("SIGTERM");
        assertThat(Signals.name(31)).isEqualTo("SIGSYS");
        assertThat(Signals.name(36)).isEqualTo("SIGRTMIN+2");
        assertThat(Signals.name(99)).isEqualTo("SIG99");
    }
}
