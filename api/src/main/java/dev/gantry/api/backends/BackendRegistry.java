package dev.gantry.api.backends;

import dev.gantry.api.GantryConfiguration;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.RunListener;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends this control plane runs work on, created at start from
 * {@code gantry.backends.<id>.type} and the other keys under each id.
 *
 * <p>A backend that cannot be created is kept as a failed entry with its error, logged, and
 * skipped by placement; the control plane carries on with the rest. Thread-safe after construction.
 */
@Singleton
public class BackendRegistry implements AutoCloseable {

    public static final String PREFIX = GantryConfiguration.PREFIX + ".backends";

    private static final Logger LOG = LoggerFactory.getLogger(BackendRegistry.class);

    private final Map<String, BackendEntry> entries;

    public BackendRegistry(
            Environment environment, GantryConfiguration configuration, Clock clock, RunListener listener) {
        Map<String, BackendFactory> factories = discoverFactories();
        Map<String, BackendEntry> created = new LinkedHashMap<>();
        for (String id : new TreeSet<>(environment.getPropertyEntries(PREFIX))) {
            Map<String, String> settings = settingsOf(environment, id);
            String type = settings.remove("type");
            var context = new BackendContext(
                    id, settings, configuration.getDataDir().resolve("backends").resolve(id), clock, listener);
            created.put(id, create(factories, type, context));
        }
        this.entries = Collections.unmodifiableMap(created);
    }

    /** Every configured backend, started or failed, in id order. */
    public List<BackendEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The started backends, in id order. */
    public List<Backend> started() {
        List<Backend> backends = new ArrayList<>();
        entries.values().forEach(entry -> entry.backend().ifPresent(backends::add));
        return backends;
    }

    /** The started backend with this id, if there is one. */
    public Optional<Backend> find(String id) {
        BackendEntry entry = entries.get(id);
        return entry == null ? Optional.empty() : entry.backend();
    }

    @Override
    @PreDestroy
    public void close() {
        for (Backend backend : started()) {
            try {
                backend.close();
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("backendId", backend.describe().id()).setCause(e).log("backend close failed");
            }
        }
    }

    private static BackendEntry create(Map<String, BackendFactory> factories, String type, BackendContext context) {
        String id = context.id();
        if (type == null || type.isBlank()) {
            return failed(id, "", "no type configured: set " + PREFIX + "." + id + ".type");
        }
        BackendFactory factory = factories.get(type);
        if (factory == null) {
            return failed(id, type, "no backend plugin of type '" + type + "' is installed; installed types: "
                    + String.join(", ", new TreeMap<>(factories).keySet()));
        }
        try {
            Backend backend = factory.create(context);
            LOG.atInfo().addKeyValue("backendId", id).addKeyValue("type", type).log("backend started");
            return BackendEntry.started(id, type, backend);
        } catch (BackendException | RuntimeException e) {
            LOG.atError().addKeyValue("backendId", id).addKeyValue("type", type).setCause(e).log("backend failed to start");
            return failed(id, type, e.getMessage());
        }
    }

    private static BackendEntry failed(String id, String type, String error) {
        return BackendEntry.failed(id, type, error);
    }

    private static Map<String, BackendFactory> discoverFactories() {
        Map<String, BackendFactory> factories = new LinkedHashMap<>();
        for (BackendFactory factory : ServiceLoader.load(BackendFactory.class, BackendRegistry.class.getClassLoader())) {
            factories.putIfAbsent(factory.type(), factory);
        }
        return factories;
    }

    private static Map<String, String> settingsOf(Environment environment, String id) {
        Map<String, Object> raw = environment.getProperties(PREFIX + "." + id, StringConvention.RAW);
        Map<String, String> settings = new LinkedHashMap<>();
        raw.forEach((key, value) -> settings.put(key, String.valueOf(value)));
        return settings;
    }
}
