package dev.gantry.api.policy;

import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.embedded.WasmPolicyEngine;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Provides the policy engine. The default is the embedded engine, which evaluates the policy
 * compiled to WebAssembly in process, so the control plane needs nothing else installed. Setting
 * {@code gantry.policy.bundle} to a bundle built with {@code opa build -t wasm} replaces the
 * default policies with a policy team's own.
 */
@Factory
public class PolicyEngineFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngineFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    PolicyEngine policyEngine(@Value("${gantry.policy.bundle:}") @Nullable String bundle) throws Exception {
        PolicyEngine engine = bundle == null || bundle.isBlank()
                ? WasmPolicyEngine.fromClasspath()
                : WasmPolicyEngine.fromBundle(Path.of(bundle));
        LOG.atInfo().addKeyValue("engine", "embedded").addKeyValue("revision", engine.revision())
                .log("policy engine ready");
        return engine;
    }
}
