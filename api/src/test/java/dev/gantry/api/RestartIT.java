package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kills the real control plane with SIGKILL right after it acknowledged jobs, starts it again on
 * the same data directory, and checks that every acknowledged job is still there and still ends.
 * Runs the shaded jar the build ships, as a separate process.
 */
class RestartIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration END_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> TERMINAL = Set.of("COMPLETED", "FAILED", "CANCELLED");

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopServers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void acknowledgedJobsSurviveKillNineAndStillEnd() throws Exception {
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "gantry-restart-")
                .toAbsolutePath();
        Process first = startServer(dataDir);
        ApiClient api = awaitReady(first, dataDir);
        List<String> acknowledged = new ArrayList<>();
        acknowledged.add(api.submit("""
                {"tenant": "acme", "command": ["sleep", "2"], "retry": {"maxAttempts": 2}}"""));
        api.awaitState(acknowledged.get(0), "RUNNING", Duration.ofSeconds(30));
        for (int i = 0; i < 20; i++) {
            String job = "{\"tenant\": \"acme\", \"command\": [\"true\"], \"labels\": {\"n\": \"" + i + "\"}}";
            acknowledged.add(api.submit(job));
        }

        first.destroyForcibly().waitFor();
        Process second = startServer(dataDir);
        ApiClient restarted = awaitReady(second, dataDir);

        for (String id : acknowledged) {
            JsonNode job = restarted.awaitJob(id, j -> TERMINAL.contains(j.get("state").asText()), END_TIMEOUT);
            assertThat(job.get("state").asText()).as("job %s", id).isEqualTo("COMPLETED");
        }
    }

    private Process startServer(Path dataDir) throws IOException {
        int port = freePort();
        String jar = System.getProperty("gantry.it.server-jar");
        assertThat(jar).as("system property gantry.it.server-jar").isNotBlank();
        ProcessBuilder builder = new ProcessBuilder(
                javaExecutable(), "-Dgantry.backends.local.kill-grace=1s", "-jar", jar)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()));
        builder.environment().put("GANTRY_DATA_DIR", dataDir.toString());
        builder.environment().put("GANTRY_PORT", Integer.toString(port));
        Files.writeString(dataDir.resolve("port"), Integer.toString(port));
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static ApiClient awaitReady(Process process, Path dataDir) throws Exception {
        int port = Integer.parseInt(Files.readString(dataDir.resolve("port")));
        ApiClient api = new ApiClient(URI.create("http://127.0.0.1:" + port));
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("control plane exited: " + Files.readString(dataDir.resolve("server.log")));
            }
            try {
                if (api.get("/health").status() == 200) {
                    return api;
                }
            } catch (RuntimeException e) {
                // Not listening yet: keep polling until the deadline.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("control plane not ready in " + START_TIMEOUT);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
