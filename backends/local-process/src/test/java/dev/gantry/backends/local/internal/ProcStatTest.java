package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    @Test
    void nameWithSpacesAndParenthesesDoesNotShiftFields() {
        String line = "4242 (odd) name (x)) S 17 4242 4242 0 -1 4194560 93 0 0 0 0 0 0 0 20 0 1 0 987654 "
                + "2445312 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";

        ProcStat stat = ProcStat.parse(line);

        assertThat(stat).isEqualTo(new ProcStat('S', 17, 4242, 4242, 987654));
    }

    @Test
    void ownProcessIsReadAndRecognised() throws IOException {
        int pid = (int) ProcessHandle.current().pid();

        ProcStat stat = ProcStat.read(pid).orElseThrow();

        assertThat(ProcStat.isSameProcess(pid, stat.startTicks())).isTrue();
        assertThat(ProcStat.isSameProcess(pid, stat.startTicks() + 1)).isFalse();
    }

    @Test
    void missingProcessReadsAsNothing() throws IOException {
        assertThat(ProcStat.read(Integer.MAX_VALUE)).isEmpty();
    }
}
