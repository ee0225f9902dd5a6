package dev.gantry.policy.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How {@link OpaServerPolicyEngine} reaches its OPA server.
 *
 * <p>Settings live under {@value #PREFIX}: {@code url}, {@code bearer-token} (a secret, shown
 * masked), {@code connect-timeout} and {@code request-timeout}. The control plane maps them into
 * this record; this module reads no configuration itself.
 *
 * @param url the server's base URL, such as {@code http://127.0.0.1:8181}; a trailing slash is
 *     ignored
 * @param bearerToken the token sent as {@code Authorization: Bearer ...}, when the server is run
 *     with {@code --authentication=token}; never logged and masked in {@link #toString()}
 * @param connectTimeout how long to wait for a connection
 * @param requestTimeout how long to wait for one decision, connection excluded
 */
public record OpaServerConfiguration(
        URI url,
        Optional<String> bearerToken,
        Duration connectTimeout,
        Duration requestTimeout) {

    /** The prefix of the configuration keys. */
    public static final String PREFIX = "gantry.policy.opa-server";

    /** Where an OPA sidecar listens by default. */
    public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:8181");

    /** The default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** The default request timeout; a decision is normally a few milliseconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /**
     * Checks every setting.
     *
     * @throws IllegalArgumentException when the URL is not an absolute http or https URL, or a
     *     timeout is not positive
     */
    public OpaServerConfiguration {
        requireNonNull(url, "url");
        requireNonNull(bearerToken, "bearerToken");
        requireNonNull(connectTimeout, "connectTimeout");
        requireNonNull(requestTimeout, "requestTimeout");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("url must be an http or https URL, got '" + url + "'");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
    }

    /** The defaults for a server at the given URL, without a token. */
    public static OpaServerConfiguration of(URI url) {
        return new OpaServerConfiguration(url, Optional.empty(), DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
    }

    /** A copy that sends the given bearer token. */
    public OpaServerConfiguration withBearerToken(String token) {
        return new OpaServerConfiguration(url, Optional.of(token), connectTimeout, requestTimeout);
    }

    /** A copy with other timeouts. */
    public OpaServerConfiguration withTimeouts(Duration connect, Duration request) {
        return new OpaServerConfiguration(url, bearerToken, connect, request);
    }

    /** The settings with the token masked, safe to log. */
    @Override
    public String toString() {
        return "OpaServerConfiguration[url=" + url
                + ", bearerToken=" + (bearerToken.isPresent() ? "******" : "none")
                + ", connectTimeout=" + connectTimeout
                + ", requestTimeout=" + requestTimeout + "]";
    }

    private static void requirePositive(Duration timeout, String name) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + timeout);
        }
    }
}
