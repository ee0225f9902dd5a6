package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class EmbeddedDatabasePathTest {

    @Test
    void relativePathBecomesAbsoluteAndSettingsAreKept() {
        String url = EmbeddedDatabasePath.absolute("jdbc:h2:file:data/db/gantry;WRITE_DELAY=0");

        Path expected = Path.of("data/db/gantry").toAbsolutePath().normalize();
        assertThat(url).isEqualTo("jdbc:h2:file:" + expected + ";WRITE_DELAY=0");
    }

    @Test
    void absolutePathIsUnchanged() {
        assertThat(EmbeddedDatabasePath.absolute("jdbc:h2:file:/var/lib/gantry/db"))
                .isEqualTo("jdbc:h2:file:/var/lib/gantry/db");
    }
}
