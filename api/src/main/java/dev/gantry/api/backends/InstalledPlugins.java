package dev.gantry.api.backends;

import dev.gantry.plugins.PluginLoadResult;
import dev.gantry.plugins.PluginLoadResult.Failed;
import dev.gantry.plugins.PluginLoadResult.Loaded;
import dev.gantry.spi.BackendFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend types on offer, from the plugins that loaded, in the order they were found. When
 * two plugins provide the same type the first one found keeps it, and the later plugin is refused
 * as a whole, naming both, so a backend never silently changes implementation. Each plugin is
 * logged once: loaded at INFO, refused at ERROR.
 */
final class InstalledPlugins {

    private static final Logger LOG = LoggerFactory.getLogger(InstalledPlugins.class);

    private final Map<String, Installed> byType;
    private final List<PluginEntry> entries;

    private InstalledPlugins(Map<String, Installed> byType, List<PluginEntry> entries) {
        this.byType = Map.copyOf(byType);
        this.entries = List.copyOf(entries);
    }

    /** Installs the plugins in {@code results}, in order. */
    static InstalledPlugins of(List<PluginLoadResult> results) {
        Map<String, Installed> byType = new LinkedHashMap<>();
        List<PluginEntry> entries = new ArrayList<>();
        for (PluginLoadResult result : results) {
            entries.add(install(result, byType));
        }
        return new InstalledPlugins(byType, entries);
    }

    /** The factory of {@code type} and where it came from, when a loaded plugin provides it. */
    Optional<Installed> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Every type on offer, sorted. */
    SortedSet<String> types() {
        return new TreeSet<>(byType.keySet());
    }

    /** Every plugin found, loaded or refused, in the order found. */
    List<PluginEntry> entries() {
        return entries;
    }

    /** The sources of the plugins that were refused, in the order found. */
    List<String> refusedSources() {
        return entries.stream().filter(entry -> !entry.isLoaded()).map(PluginEntry::source).toList();
    }

    private static PluginEntry install(PluginLoadResult result, Map<String, Installed> byType) {
        if (result instanceof Failed failed) {
            return refused(failed.source(), List.of(), failed.reason());
        }
        Loaded loaded = (Loaded) result;
        Optional<String> clash = clash(loaded, byType);
        if (clash.isPresent()) {
            return refused(loaded.source(), loaded.types(), clash.get());
        }
        for (BackendFactory factory : loaded.factories()) {
            byType.put(factory.type(), new Installed(factory, loaded.source()));
        }
        LOG.atInfo().addKeyValue("source", loaded.source()).addKeyValue("types", loaded.types()).log("plugin loaded");
        return new PluginEntry(loaded.source(), loaded.types(), Optional.empty());
    }

    private static Optional<String> clash(Loaded loaded, Map<String, Installed> byType) {
        for (String type : loaded.types()) {
            Installed first = byType.get(type);
            if (first != null) {
                return Optional.of("plugin '" + loaded.source() + "' provides type '" + type
                        + "', which plugin '" + first.source() + "' already provides; the first one found is used");
            }
        }
        return Optional.empty();
    }

    private static PluginEntry refused(String source, List<String> types, String reason) {
        LOG.atError().addKeyValue("source", source).addKeyValue("reason", reason).log("plugin refused");
        return new PluginEntry(source, types, Optional.of(reason));
    }

    /**
     * A factory on offer.
     *
     * @param factory the factory, which runs its calls in its plugin's class loader
     * @param source the plugin it came from
     */
    record Installed(BackendFactory factory, String source) {
    }
}
