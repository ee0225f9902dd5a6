package dev.gantry.backends.local.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpawnSpecTest {

    @Test
    void textShowsVariableNamesButNoValues() {
        SpawnSpec spec = new SpawnSpec(Path.of("/bin/env"), List.of("env"), Map.of("TOKEN", "secret-token"),
                Path.of("/work"), Path.of("/work/out"), Path.of("/work/err"));

        String shown = spec.toString();

        assertThat(shown).contains("TOKEN", "/bin/env").doesNotContain("secret-token");
    }
}
