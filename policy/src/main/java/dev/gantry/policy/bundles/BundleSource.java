package dev.gantry.policy.bundles;

import dev.gantry.policy.embedded.WasmPolicyEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a policy bundle is read from: a file, an http(s) URL asked with {@code If-None-Match} when
 * the server gave an ETag, or the bundle compiled into this module. Used by one thread at a time: the
 * one that starts the engine, then its checking thread.
 */
abstract sealed class BundleSource {

    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The source for a location: an {@code http://} or {@code https://} URL, or else a file path.
     */
    static BundleSource of(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new Url(URI.create(location));
        }
        return new File(Path.of(location));
    }

    /** The bundle compiled into this module, which never changes. */
    static BundleSource classpath() {
        return new Classpath();
    }

    /** The path or URL, for messages. */
    abstract String location();

    /**
     * The bundle's bytes, or empty when the source says it has not changed since the last read.
     *
     * @throws IOException when the bundle cannot be read
     */
    abstract Optional<byte[]> read() throws IOException, InterruptedException;

    /** A bundle file; read whole on every check, and compared by content hash by the caller. */
    static final class File extends BundleSource {

        private final Path path;

        File(Path path) {
            this.path = path;
        }

        @Override
        String location() {
            return path.toString();
        }

        @Override
        Optional<byte[]> read() throws IOException {
            return Optional.of(Files.readAllBytes(path));
        }
    }

    /** The bundle on the class path, compiled from the default policies when this module was built. */
    static final class Classpath extends BundleSource {

        @Override
        String location() {
            return "classpath:" + WasmPolicyEngine.CLASSPATH_BUNDLE;
        }

        @Override
        Optional<byte[]> read() throws IOException {
            ClassLoader loader = Classpath.class.getClassLoader();
            try (InputStream in = loader.getResourceAsStream(WasmPolicyEngine.CLASSPATH_BUNDLE)) {
                if (in == null) {
                    throw new IOException("not found on the class path");
                }
                return Optional.of(in.readAllBytes());
            }
        }
    }

    /** A bundle served over HTTP; a {@code 304 Not Modified} answer is an unchanged bundle. */
    static final class Url extends BundleSource {

        private final URI uri;
        private final HttpClient http;
        private String etag;

        Url(URI uri) {
            this.uri = uri;
            this.http = HttpClient.newBuilder()
                    .connectTimeout(HTTP_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }

        @Override
        String location() {
            return uri.toString();
        }

        @Override
        Optional<byte[]> read() throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(HTTP_TIMEOUT).GET();
            if (etag != null) {
                request.header("If-None-Match", etag);
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 304) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IOException("GET " + uri + " answered " + response.statusCode());
            }
            etag = response.headers().firstValue("ETag").orElse(null);
            return Optional.of(response.body());
        }
    }
}
