package dev.gantry.plugins;

import dev.gantry.spi.BackendFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Builds small plugins at test time: compiles Java sources against the SPI (and any extra class
 * path), names the factories in {@code META-INF/services}, and writes a jar or a class directory.
 * Shared with the control plane's integration tests through this module's test jar.
 */
public final class PluginJarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> factories = new ArrayList<>();
    private final List<Path> classPath = new ArrayList<>();
    private final List<Class<?>> copies = new ArrayList<>();

    /** Adds the source of one top-level class. */
    public PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Names {@code className} in {@code META-INF/services/dev.gantry.spi.BackendFactory}. */
    public PluginJarBuilder factory(String className) {
        factories.add(className);
        return this;
    }

    /** Compiles against {@code entry}, searched before the SPI, without packing it. */
    public PluginJarBuilder classPath(Path entry) {
        classPath.add(entry);
        return this;
    }

    /** Packs the class file of {@code type} as it is, as a plugin that bundles it would. */
    public PluginJarBuilder copy(Class<?> type) {
        copies.add(type);
        return this;
    }

    /** Compiles and writes the plugin as the jar {@code file}, and returns it. */
    public Path writeJar(Path file) {
        Path classes = null;
        try {
            classes = Files.createTempDirectory("plugin-classes");
            writeClasses(classes);
            jar(classes, file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(classes);
        }
    }

    /** Compiles and writes the plugin as class files under {@code directory}, and returns it. */
    public Path writeClasses(Path directory) {
        try {
            Files.createDirectories(directory);
            compile(directory);
            for (Class<?> type : copies) {
                copyClassFile(type, directory);
            }
            if (!factories.isEmpty()) {
                Path services = directory.resolve("META-INF/services/" + BackendFactory.class.getName());
                Files.createDirectories(services.getParent());
                Files.writeString(services, String.join("\n", factories) + "\n");
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void compile(Path output) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (StandardJavaFileManager files =
                compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            files.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
            files.setLocationFromPaths(StandardLocation.CLASS_PATH, compileClassPath());
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((name, code) -> units.add(new Source(name, code)));
            List<String> options = List.of("--release", "17", "-proc:none");
            if (!compiler.getTask(null, files, diagnostics, options, null, units).call()) {
                throw new IllegalStateException("test plugin does not compile: " + diagnostics.getDiagnostics());
            }
        }
    }

    private List<Path> compileClassPath() {
        List<Path> entries = new ArrayList<>(classPath);
        entries.add(locationOf(BackendFactory.class));
        return entries;
    }

    private static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("class path entry of " + type.getName() + " is not a path", e);
        }
    }

    private static void copyClassFile(Class<?> type, Path directory) throws IOException {
        String entry = type.getName().replace('.', '/') + ".class";
        Path target = directory.resolve(entry);
        Files.createDirectories(target.getParent());
        try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
            Files.copy(in, target);
        }
    }

    private static void jar(Path classes, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(classes)) {
            entries = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        try (OutputStream out = Files.newOutputStream(file); var jar = new JarOutputStream(out)) {
            for (Path entry : entries) {
                jar.putNextEntry(new JarEntry(classes.relativize(entry).toString().replace('\\', '/')));
                Files.copy(entry, jar);
                jar.closeEntry();
            }
        }
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory does not affect the test that built the plugin.
        }
    }

    /** A source held in memory. */
    private static final class Source extends SimpleJavaFileObject {

        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
