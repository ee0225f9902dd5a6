package dev.gantry.api.policy;

import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.bundles.ReloadingPolicyEngine;
import dev.gantry.policy.server.OpaServerConfiguration;
import dev.gantry.policy.server.OpaServerPolicyEngine;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the policy engine chosen by {@code gantry.policy.engine}.
 *
 * <ul>
 *   <li>{@code embedded} (the default) evaluates the policy compiled to WebAssembly in process, so
 *       the control plane needs nothing else installed. {@code gantry.policy.bundle} names a bundle
 *       built with {@code opa build -t wasm}, a file path or an http(s) URL, to use instead of the
 *       default policies; it is checked every {@code gantry.policy.bundle-check-interval} (10s by
 *       default) and a changed bundle replaces the running one without a restart when it loads
 *       (see {@link ReloadingPolicyEngine}). Without it the compiled-in policies run, never reloaded.
 *       Either way the engine is a {@link ReloadingPolicyEngine}, so a candidate tried in shadow can
 *       be promoted into it ({@link ShadowPolicy}).
 *   <li>{@code opa-server} asks an OPA server over its REST Data API, at
 *       {@code gantry.policy.opa-server.url}, with an optional {@code bearer-token} and
 *       {@code connect-timeout} and {@code request-timeout}.
 * </ul>
 */
@Factory
public class PolicyEngineFactory {

    public static final String EMBEDDED = "embedded";
    public static final String OPA_SERVER = "opa-server";

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngineFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    PolicyEngine policyEngine(
            @Value("${gantry.policy.engine:embedded}") String engine,
            @Value("${gantry.policy.bundle:}") @Nullable String bundle,
            @Value("${gantry.policy.bundle-check-interval:10s}") Duration bundleCheckInterval,
            @Value("${gantry.policy.opa-server.url:http://127.0.0.1:8181}") URI url,
            @Value("${gantry.policy.opa-server.bearer-token:}") @Nullable String token,
            @Value("${gantry.policy.opa-server.connect-timeout:2s}") Duration connectTimeout,
            @Value("${gantry.policy.opa-server.request-timeout:5s}") Duration requestTimeout) throws Exception {
        PolicyEngine policy = switch (engine) {
            case EMBEDDED -> embedded(bundle, bundleCheckInterval);
            case OPA_SERVER -> opaServer(url, token, connectTimeout, requestTimeout);
            default -> throw new ConfigurationException("gantry.policy.engine is '" + engine + "'; use "
                    + EMBEDDED + " or " + OPA_SERVER);
        };
        LOG.atInfo().addKeyValue("engine", engine).addKeyValue("revision", policy.revision())
                .log("policy engine ready");
        return policy;
    }

    private static PolicyEngine embedded(String bundle, Duration checkInterval) throws Exception {
        if (bundle == null || bundle.isBlank()) {
            return ReloadingPolicyEngine.fromClasspath();
        }
        LOG.atInfo().addKeyValue("bundle", bundle).addKeyValue("checkInterval", checkInterval)
                .log("policy bundle watched for changes");
        return ReloadingPolicyEngine.start(bundle, checkInterval);
    }

    private static PolicyEngine opaServer(URI url, String token, Duration connect, Duration request) {
        OpaServerConfiguration configuration = OpaServerConfiguration.of(url).withTimeouts(connect, request);
        if (token != null && !token.isBlank()) {
            configuration = configuration.withBearerToken(token);
        }
        LOG.atInfo().addKeyValue("url", url).log("policy decisions from OPA server");
        return new OpaServerPolicyEngine(configuration);
    }
}
