package dev.gantry.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Looks at processes through {@code /proc}, for tests that check a job left nothing behind. */
public final class Processes {

    private Processes() {
    }

    /**
     * Waits up to {@code timeout} for process {@code pid} to be gone, and says whether it is. A zombie
     * counts as gone: it runs nothing and only waits for its new parent to collect it.
     */
    public static boolean awaitGone(long pid, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }
}
