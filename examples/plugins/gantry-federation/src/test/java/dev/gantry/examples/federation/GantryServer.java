package dev.gantry.examples.federation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Gantry control plane, run as a subprocess from the shaded server jar that the Gantry build
 * installs, on a free port of 127.0.0.1 and over a temporary directory of its own. Closing it stops
 * the server and every process it started, and removes the directory; the server's output stays in
 * {@code target/server-logs} for reading after a failure.
 */
final class GantryServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final String name;
    private final Process process;
    private final URI url;
    private final Path directory;
    private final Path log;

    private GantryServer(String name, Process process, URI url, Path directory, Path log) {
        this.name = name;
        this.process = process;
        this.url = url;
        this.directory = directory;
        this.log = log;
    }

    /**
     * Starts a control plane named {@code name} (for its log file) with the given {@code -D}
     * settings and extra environment, and waits until it answers {@code GET /health} with 200.
     * Its plugins directory is {@code pluginsDir}, or an empty one when null.
     */
    static GantryServer start(String name, Map<String, String> properties, Path pluginsDir) throws IOException {
        Path directory = Files.createTempDirectory("gantry-" + name + "-");
        int port = freePort();
        Path log = Files.createDirectories(Path.of("target", "server-logs")).resolve(name + "-" + port + ".log");
        ProcessBuilder builder = new ProcessBuilder(command(properties))
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("GANTRY_HOST", "127.0.0.1");
        environment.put("GANTRY_PORT", Integer.toString(port));
        environment.put("GANTRY_DATA_DIR", directory.resolve("data").toString());
        environment.put("GANTRY_PLUGINS_DIR",
                pluginsDir != null ? pluginsDir.toString() : directory.resolve("plugins").toString());
        var server = new GantryServer(name, builder.start(), URI.create("http://127.0.0.1:" + port), directory, log);
        try {
            server.awaitHealthy();
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The base URL of the server's API, such as {@code http://127.0.0.1:41234}. */
    URI url() {
        return url;
    }

    /** The server's private directory, removed on close. */
    Path directory() {
        return directory;
    }

    /** {@code GET path}, answered as status and body. */
    Answer get(String path) {
        return send(HttpRequest.newBuilder(url.resolve(path)).GET());
    }

    /** {@code POST path} with a JSON body, answered as status and body. */
    Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(url.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * Stops the server and kills whatever it started that is still alive, then removes its
     * directory. The processes of its jobs are listed before the server stops, because runs are
     * meant to outlive their control plane and would otherwise be left behind.
     */
    @Override
    public void close() throws IOException {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        started.forEach(ProcessHandle::destroyForcibly);
        deleteTree(directory);
    }

    private static List<String> command(Map<String, String> properties) {
        String jar = System.getProperty("gantry.server.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the Gantry server jar '" + jar + "' is missing: run `mvn install` at the"
                    + " Gantry root, then build this plugin with Maven, which sets gantry.server.jar");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar));
        return command;
    }

    private void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Gantry server '" + name + "' exited with code " + process.exitValue()
                        + " before it was healthy; its log: " + log.toAbsolutePath() + "\n" + logTail());
            }
            if (isHealthy()) {
                return;
            }
            pause();
        }
        throw new IllegalStateException("Gantry server '" + name + "' was not healthy within " + START_TIMEOUT
                + "; its log: " + log.toAbsolutePath() + "\n" + logTail());
    }

    private boolean isHealthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(url.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Gantry server '" + name + "'", e);
        }
    }

    private String logTail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Gantry server '" + name + "' did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling Gantry server '" + name + "'", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** An HTTP answer of the server. */
    record Answer(int status, String body) {
    }
}
