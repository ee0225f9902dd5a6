package dev.gantry.api.backends;

import dev.gantry.api.GantryConfiguration;
import dev.gantry.api.backends.InstalledPlugins.Installed;
import dev.gantry.plugins.PluginLoadResult;
import dev.gantry.plugins.PluginLoader;
import dev.gantry.spi.Backend;
import dev.gantry.spi.BackendContext;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.RunListener;
import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends this control plane runs work on, created once at start.
 *
 * <p>Factories come from the backends shipped on the class path and from the plugins in
 * {@code gantry.plugins-dir}, each plugin in its own class loader (see {@link PluginLoader}). Each
 * id under {@code gantry.backends} is created with the factory its {@code type} names, and gets
 * the other keys under the id as settings and a data directory of its own, so one type may back
 * several ids. A plugin that is refused, or a backend that cannot be created, is kept as an entry
 * with its reason, logged once at ERROR, and skipped by placement; the control plane carries on
 * with the rest. Thread-safe after construction.
 */
@Singleton
public class BackendRegistry implements AutoCloseable {

    public static final String PREFIX = GantryConfiguration.PREFIX + ".backends";

    private static final Logger LOG = LoggerFactory.getLogger(BackendRegistry.class);

    private final List<PluginEntry> plugins;
    private final Map<String, BackendEntry> entries;

    /** Loads the plugins and creates every configured backend; called once by the framework. */
    @Inject
    public BackendRegistry(
            Environment environment, GantryConfiguration configuration, Clock clock, RunListener listener) {
        this(discover(configuration.getPluginsDir()), configured(environment),
                configuration.getDataDir().resolve("backends"), clock, listener);
    }

    BackendRegistry(
            List<PluginLoadResult> found,
            Map<String, Map<String, String>> configured,
            Path backendsDir,
            Clock clock,
            RunListener listener) {
        InstalledPlugins installed = InstalledPlugins.of(found);
        Map<String, BackendEntry> created = new LinkedHashMap<>();
        new TreeMap<>(configured).forEach((id, settings) -> created.put(id,
                create(installed, id, settings, new Contexts(backendsDir, clock, listener))));
        this.plugins = installed.entries();
        this.entries = Collections.unmodifiableMap(created);
    }

    /** Every configured backend, started or failed, in id order. */
    public List<BackendEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry of the configured backend with this id, started or failed. */
    public Optional<BackendEntry> entry(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** Every plugin found at start, loaded or refused, class path first, then the plugins directory. */
    public List<PluginEntry> plugins() {
        return plugins;
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

    /** Closes every started backend; a backend that fails to close does not stop the others. */
    @Override
    @PreDestroy
    public void close() {
        for (BackendEntry entry : entries.values()) {
            entry.backend().ifPresent(backend -> close(entry.id(), backend));
        }
    }

    private static List<PluginLoadResult> discover(Path pluginsDir) {
        var loader = new PluginLoader(BackendRegistry.class.getClassLoader());
        List<PluginLoadResult> found = new ArrayList<>(loader.fromClassPath());
        found.addAll(loader.fromDirectory(pluginsDir));
        return found;
    }

    private static Map<String, Map<String, String>> configured(Environment environment) {
        Map<String, Map<String, String>> configured = new LinkedHashMap<>();
        for (String id : environment.getPropertyEntries(PREFIX)) {
            Map<String, Object> raw = environment.getProperties(PREFIX + "." + id, StringConvention.RAW);
            Map<String, String> settings = new LinkedHashMap<>();
            raw.forEach((key, value) -> settings.put(key, String.valueOf(value)));
            configured.put(id, settings);
        }
        return configured;
    }

    private static BackendEntry create(
            InstalledPlugins installed, String id, Map<String, String> configured, Contexts contexts) {
        Map<String, String> settings = new LinkedHashMap<>(configured);
        String type = settings.remove("type");
        if (type == null || type.isBlank()) {
            return failed(id, "", Optional.empty(), "no type configured: set " + PREFIX + "." + id + ".type");
        }
        Optional<Installed> factory = installed.find(type);
        if (factory.isEmpty()) {
            return failed(id, type, Optional.empty(), unknownType(type, installed));
        }
        return start(factory.get(), type, contexts.forId(id, settings));
    }

    private static String unknownType(String type, InstalledPlugins installed) {
        String types = installed.types().isEmpty() ? "none" : String.join(", ", installed.types());
        String message = "no backend plugin of type '" + type + "' is installed; installed types: " + types;
        List<String> refused = installed.refusedSources();
        return refused.isEmpty() ? message : message + "; refused plugins: " + String.join(", ", refused);
    }

    private static BackendEntry start(Installed installed, String type, BackendContext context) {
        String id = context.id();
        try {
            Backend backend = installed.factory().create(context);
            LOG.atInfo().addKeyValue("backendId", id).addKeyValue("type", type)
                    .addKeyValue("source", installed.source()).log("backend started");
            return BackendEntry.started(id, type, installed.source(), backend);
        } catch (BackendException | RuntimeException | LinkageError e) {
            LOG.atError().addKeyValue("backendId", id).addKeyValue("type", type)
                    .addKeyValue("source", installed.source()).setCause(e).log("backend failed to start");
            return BackendEntry.failed(id, type, Optional.of(installed.source()), ErrorText.of(e));
        }
    }

    private static BackendEntry failed(String id, String type, Optional<String> source, String error) {
        LOG.atError().addKeyValue("backendId", id).addKeyValue("type", type).addKeyValue("source", source.orElse(""))
                .addKeyValue("reason", error).log("backend failed to start");
        return BackendEntry.failed(id, type, source, error);
    }

    private static void close(String id, Backend backend) {
        try {
            backend.close();
        } catch (RuntimeException | LinkageError e) {
            LOG.atWarn().addKeyValue("backendId", id).setCause(e).log("backend close failed");
        }
    }

    /** What every backend context shares: where data directories live, the clock, the listener. */
    private record Contexts(Path backendsDir, Clock clock, RunListener listener) {

        BackendContext forId(String id, Map<String, String> settings) {
            return new BackendContext(id, settings, backendsDir.resolve(id), clock, listener);
        }
    }
}
