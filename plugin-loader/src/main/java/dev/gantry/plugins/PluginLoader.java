package dev.gantry.plugins;

import static java.util.Objects.requireNonNull;

import dev.gantry.plugins.PluginLoadResult.Failed;
import dev.gantry.plugins.PluginLoadResult.Loaded;
import dev.gantry.spi.BackendFactory;
import dev.gantry.spi.SpiVersion;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds backend factories: those shipped on the control plane's class path, and those of plugins
 * in a plugins directory or at explicit paths, each plugin in a {@linkplain PluginClassLoader class
 * loader of its own}.
 *
 * <p>Every factory is checked before it is offered: it must be instantiable, report a type in
 * kebab-case, and have been built for an SPI version this control plane {@linkplain
 * SpiVersion#isCompatible supports}. A plugin that fails a check comes back as {@link Failed} with
 * a reason naming the plugin and the factory; no method here throws for a bad plugin. The
 * factories that pass are wrapped so that every call into the plugin, and into the backends they
 * create, runs with the plugin's class loader as the thread's context class loader.
 *
 * <p>Called at control plane start and by the backend test kit. The methods read files and load
 * classes, so they block; they are safe to call from several threads. The class loader of a loaded
 * plugin stays open as long as its factories and backends are reachable; the loader of a refused
 * plugin is closed at once.
 */
public final class PluginLoader {

    /**
     * Package prefixes a plugin takes from the host instead of from its own jars: the SPI, so the
     * plugin implements the very interfaces the control plane calls, and the logging API, so its
     * logs go where the control plane's go. Everything else a plugin uses is its own.
     */
    public static final List<String> SHARED_PACKAGES = List.of("dev.gantry.spi.", "org.slf4j.");

    private static final Logger LOG = LoggerFactory.getLogger(PluginLoader.class);
    private static final String CLASS_PATH_PREFIX = "classpath:";
    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final String SERVICES_FILE = "META-INF/services/" + BackendFactory.class.getName();

    private final ClassLoader host;

    /**
     * Creates a loader whose plugins take the {@linkplain #SHARED_PACKAGES shared packages} from
     * {@code host}.
     *
     * @param host the class loader of the control plane, which holds the SPI, the shared packages
     *     and the backends shipped with it
     */
    public PluginLoader(ClassLoader host) {
        this.host = requireNonNull(host, "host");
    }

    /**
     * Finds the factories on the host class loader, the backends shipped with the control plane.
     * Factories are grouped by the jar or directory they come from, one result each, in class
     * path order; a factory that cannot even be instantiated is reported under {@code classpath:}.
     */
    public List<PluginLoadResult> fromClassPath() {
        Map<String, List<BackendFactory>> bySource = new LinkedHashMap<>();
        List<PluginLoadResult> results = new ArrayList<>();
        Iterator<BackendFactory> found = ServiceLoader.load(BackendFactory.class, host).iterator();
        while (hasNext(found, results)) {
            BackendFactory factory = next(found, results);
            if (factory != null) {
                bySource.computeIfAbsent(classPathSource(factory.getClass()), key -> new ArrayList<>()).add(factory);
            }
        }
        bySource.forEach((source, factories) -> results.add(admit(source, factories, List.of())));
        return List.copyOf(results);
    }

    /**
     * Loads every plugin in {@code pluginsDir}: each {@code *.jar} directly in it is one plugin,
     * and each subdirectory is one plugin made of the {@code *.jar} files directly in it plus its
     * {@code classes/} directory if it has one. Plugins are loaded in name order; other files and
     * names starting with a dot are ignored. A directory that does not exist holds no plugins.
     */
    public List<PluginLoadResult> fromDirectory(Path pluginsDir) {
        requireNonNull(pluginsDir, "pluginsDir");
        if (!Files.isDirectory(pluginsDir)) {
            LOG.atDebug().addKeyValue("pluginsDir", pluginsDir).log("no plugins directory");
            return List.of();
        }
        List<Path> entries;
        try {
            entries = list(pluginsDir);
        } catch (IOException e) {
            return List.of(new Failed(pluginsDir.toString(),
                    "plugins directory '" + pluginsDir + "' could not be read: " + describe(e)));
        }
        List<PluginLoadResult> results = new ArrayList<>();
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry)) {
                results.add(fromPluginDirectory(name, entry));
            } else if (isJar(entry)) {
                results.add(fromPaths(name, List.of(entry)));
            }
        }
        return List.copyOf(results);
    }

    /**
     * Loads one plugin made of the given jars and class directories, exactly as a plugin in the
     * plugins directory is loaded. The backend test kit uses it to load the backend under test.
     *
     * @param name how the plugin is named in results and messages
     * @param paths jar files and directories of classes, searched in this order
     */
    public PluginLoadResult fromPaths(String name, List<Path> paths) {
        requireNonNull(name, "name");
        requireNonNull(paths, "paths");
        if (paths.isEmpty()) {
            return new Failed(name, "plugin '" + name + "' has no jar files and no classes directory");
        }
        List<URL> urls = new ArrayList<>();
        for (Path path : paths) {
            if (!Files.exists(path)) {
                return new Failed(name, "plugin '" + name + "' path '" + path + "' does not exist");
            }
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                return new Failed(name, "plugin '" + name + "' path '" + path + "' is not usable: " + describe(e));
            }
        }
        return load(name, urls);
    }

    private boolean hasNext(Iterator<BackendFactory> found, List<PluginLoadResult> failures) {
        // The iterator moves past a provider it could not load, so the next call resumes after it.
        while (true) {
            try {
                return found.hasNext();
            } catch (ServiceConfigurationError | LinkageError e) {
                failures.add(new Failed(CLASS_PATH_PREFIX, "backend factory on the class path could not be loaded: "
                        + describe(e)));
            }
        }
    }

    private BackendFactory next(Iterator<BackendFactory> found, List<PluginLoadResult> failures) {
        try {
            return found.next();
        } catch (ServiceConfigurationError | LinkageError e) {
            failures.add(new Failed(CLASS_PATH_PREFIX, "backend factory on the class path could not be created: "
                    + describe(e)));
            return null;
        }
    }

    private static String classPathSource(Class<?> factoryClass) {
        CodeSource codeSource = factoryClass.getProtectionDomain().getCodeSource();
        if (codeSource == null || codeSource.getLocation() == null) {
            return CLASS_PATH_PREFIX;
        }
        try {
            Path location = Path.of(codeSource.getLocation().toURI());
            Path shown = Files.isDirectory(location) ? location : location.getFileName();
            return CLASS_PATH_PREFIX + shown;
        } catch (URISyntaxException | RuntimeException e) {
            // A location that is not a plain file still identifies the source well enough as it is.
            return CLASS_PATH_PREFIX + codeSource.getLocation();
        }
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries
                    .filter(entry -> !entry.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }

    private PluginLoadResult fromPluginDirectory(String name, Path directory) {
        List<Path> paths;
        try {
            paths = new ArrayList<>(list(directory).stream().filter(PluginLoader::isJar).toList());
        } catch (IOException e) {
            return new Failed(name, "plugin '" + name + "' could not be read: " + describe(e));
        }
        Path classes = directory.resolve("classes");
        if (Files.isDirectory(classes)) {
            paths.add(classes);
        }
        return fromPaths(name, paths);
    }

    private PluginLoadResult load(String name, List<URL> urls) {
        var loader = new PluginClassLoader("plugin:" + name, urls.toArray(URL[]::new), host, SHARED_PACKAGES);
        List<String> problems = new ArrayList<>();
        List<BackendFactory> factories = instantiate(name, loader, problems);
        if (factories.isEmpty() && problems.isEmpty()) {
            problems.add("plugin '" + name + "' contains no backend factory: no " + SERVICES_FILE + " names one");
        }
        PluginLoadResult result = admit(name, factories, problems);
        if (result instanceof Failed) {
            close(name, loader);
        }
        return result;
    }

    private static List<BackendFactory> instantiate(String name, ClassLoader loader, List<String> problems) {
        List<BackendFactory> factories = new ArrayList<>();
        PluginContext context = new PluginContext(loader);
        context.run(() -> {
            Iterator<BackendFactory> found = ServiceLoader.load(BackendFactory.class, loader).iterator();
            while (true) {
                try {
                    if (!found.hasNext()) {
                        return;
                    }
                    factories.add(found.next());
                } catch (ServiceConfigurationError | LinkageError e) {
                    problems.add("plugin '" + name + "' backend factory could not be created: " + describe(e));
                }
            }
        });
        return factories;
    }

    private static PluginLoadResult admit(String source, List<BackendFactory> factories, List<String> problems) {
        List<String> allProblems = new ArrayList<>(problems);
        List<BackendFactory> admitted = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (BackendFactory factory : factories) {
            var context = new PluginContext(factory.getClass().getClassLoader());
            FactoryCheck check = context.call(() -> FactoryCheck.of(source, factory));
            if (check.problem() != null) {
                allProblems.add(check.problem());
            } else if (!types.add(check.type())) {
                allProblems.add("plugin '" + source + "' has more than one factory of type '" + check.type() + "'");
            } else {
                admitted.add(new IsolatedBackendFactory(factory, context, check.type(), check.spiVersion()));
            }
        }
        if (!allProblems.isEmpty()) {
            return new Failed(source, String.join("; ", allProblems));
        }
        LOG.atDebug().addKeyValue("source", source).addKeyValue("types", types).log("plugin loaded");
        return new Loaded(source, admitted);
    }

    private static void close(String name, PluginClassLoader loader) {
        try {
            loader.close();
        } catch (IOException e) {
            // The plugin is refused either way; an open jar handle only costs a file descriptor.
            LOG.atDebug().addKeyValue("source", name).setCause(e).log("plugin class loader close failed");
        }
    }

    static String describe(Throwable error) {
        // ServiceLoader wraps what the plugin threw; the plugin's own exception says more.
        if (error instanceof ServiceConfigurationError && error.getCause() != null) {
            return error.getMessage() + " (" + summary(error.getCause()) + ")";
        }
        return summary(error);
    }

    private static String summary(Throwable error) {
        String name = error.getClass().getSimpleName();
        return error.getMessage() == null ? name : name + ": " + error.getMessage();
    }

    /** The outcome of asking one factory for its type and SPI version. */
    private record FactoryCheck(String type, String spiVersion, String problem) {

        static FactoryCheck of(String source, BackendFactory factory) {
            String factoryClass = factory.getClass().getName();
            String type;
            try {
                type = factory.type();
            } catch (RuntimeException | LinkageError e) {
                return problem("plugin '" + source + "' factory " + factoryClass + " failed in type(): " + describe(e));
            }
            if (type == null || !TYPE.matcher(type).matches()) {
                return problem("plugin '" + source + "' factory " + factoryClass + " reports type '" + type
                        + "', which is not lower case words joined by hyphens");
            }
            return checkVersion(source, factory, type);
        }

        private static FactoryCheck checkVersion(String source, BackendFactory factory, String type) {
            String prefix = "plugin '" + source + "' factory '" + type + "' ";
            String supported = "this control plane supports SPI " + majorOf(SpiVersion.CURRENT) + ".x ("
                    + SpiVersion.CURRENT + ")";
            String version;
            try {
                version = factory.spiVersion();
            } catch (AbstractMethodError e) {
                return problem(prefix + "was built for a Gantry SPI before 1.0, which had no spiVersion(); "
                        + supported);
            } catch (RuntimeException | LinkageError e) {
                return problem(prefix + "failed in spiVersion(): " + describe(e));
            }
            try {
                if (!SpiVersion.isCompatible(SpiVersion.CURRENT, version)) {
                    return problem(prefix + "was built for Gantry SPI " + version + "; " + supported);
                }
            } catch (IllegalArgumentException e) {
                return problem(prefix + "reports SPI version '" + version + "', which is not of the form major.minor");
            }
            return new FactoryCheck(type, version, null);
        }

        private static String majorOf(String version) {
            return version.substring(0, version.indexOf('.'));
        }

        private static FactoryCheck problem(String problem) {
            return new FactoryCheck(null, null, problem);
        }
    }
}
