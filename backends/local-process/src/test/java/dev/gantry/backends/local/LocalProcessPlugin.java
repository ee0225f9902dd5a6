package dev.gantry.backends.local;

import com.sun.jna.Native;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** Where the local-process plugin is in this build, as an operator would install it. */
final class LocalProcessPlugin {

    private LocalProcessPlugin() {
    }

    /**
     * The module's compiled classes and the JNA jar, its one runtime dependency beyond the SPI and
     * SLF4J, which the host shares. Naming the classes does not initialise them, so JNA's native
     * library is not loaded into the test's own class loader by this.
     */
    static List<Path> paths() {
        return List.of(codeLocation(LocalProcessBackendFactory.class), codeLocation(Native.class));
    }

    private static Path codeLocation(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("the location of " + type.getName() + " is no file path", e);
        }
    }
}
