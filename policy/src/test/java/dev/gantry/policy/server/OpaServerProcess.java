package dev.gantry.policy.server;

import dev.gantry.policy.embedded.OpaCli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code opa run --server} on a random free port of 127.0.0.1, serving a policy directory.
 * {@link #start} returns once {@code GET /health} answers 200; {@link #close} stops the process and
 * may be repeated. Tests close it in {@code finally} or {@code @AfterAll}, so no server outlives
 * its test, also when the test fails.
 */
public final class OpaServerProcess implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final int START_ATTEMPTS = 3;

    private final Path executable;
    private final Path policies;
    private final int port;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Process process;

    private OpaServerProcess(Path executable, Path policies, int port) throws IOException {
        this.executable = executable;
        this.policies = policies;
        this.port = port;
        this.log = Files.createTempFile("opa-server", ".log");
    }

    /**
     * Starts a server for the policy directory on a free port. A port found free can be taken by
     * another process before opa binds it, so a start that fails is tried again on another port.
     */
    public static OpaServerProcess start(Path policies) throws IOException, InterruptedException {
        IllegalStateException failure = new IllegalStateException("opa server did not start");
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            OpaServerProcess server = new OpaServerProcess(OpaCli.locate().executable(), policies, freePort());
            try {
                server.restart();
                return server;
            } catch (IllegalStateException e) {
                server.close();
                failure.addSuppressed(e);
            }
        }
        throw failure;
    }

    /** The server's base URL. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Kills the server at once, as a crash would: no graceful shutdown. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            process = null;
        }
    }

    /** Starts the server again on the same port, after {@link #kill()}, and waits until it is healthy. */
    public void restart() throws IOException, InterruptedException {
        List<String> command = List.of(
                executable.toString(), "run", "--server",
                "--addr", "127.0.0.1:" + port,
                "--log-level", "error",
                policies.toString());
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        awaitHealthy();
    }

    /** Stops the server and removes its log. */
    @Override
    public void close() {
        if (process != null) {
            stop(process);
            process = null;
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // A leftover log in the temporary directory harms nothing.
        }
    }

    private static void stop(Process running) {
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                running.destroyForcibly();
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("opa server exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            if (isHealthy()) {
                return;
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        process.destroyForcibly();
        throw new IllegalStateException("opa server on port " + port + " not healthy within " + STARTUP_TIMEOUT
                + ": " + Files.readString(log));
    }

    private boolean isHealthy() throws InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(url().resolve("/health"))
                .timeout(POLL_INTERVAL.multipliedBy(10))
                .build();
        try {
            return client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            // Not listening yet.
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
