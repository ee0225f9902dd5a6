package dev.gantry.api.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Policy bundles built for a test by the real {@code opa}, from Gantry's default policies with a
 * change: another CPU limit in {@code data.json}, or another {@code admission.rego}.
 */
final class TestBundles {

    private static final Path POLICIES = Path.of("..", "policy", "src", "main", "rego", "gantry");
    private static final String ADMISSION = "--entrypoint=gantry/admission/decision";
    private static final String PLACEMENT = "--entrypoint=gantry/placement/decision";

    private final Path directory;

    TestBundles() {
        try {
            directory = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bundles-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default policies with {@code limits.max_cpu} set to {@code maxCpu}. */
    byte[] withMaxCpu(int maxCpu, String revision) {
        Path source = copyOfDefaults();
        Path data = source.resolve("gantry").resolve("data.json");
        rewrite(data, read(data).replaceFirst("\"max_cpu\": \\d+", "\"max_cpu\": " + maxCpu));
        return build(source, revision, ADMISSION, PLACEMENT);
    }

    /** The default policies giving every tenant without an entry the default labels {@code labels}. */
    byte[] withDefaultLabels(String labels, String revision) {
        Path source = copyOfDefaults();
        Path data = source.resolve("gantry").resolve("data.json");
        rewrite(data, read(data).replace("\"default\": {}", "\"default\": " + labels));
        return build(source, revision, ADMISSION, PLACEMENT);
    }

    /** The default policies with {@code admission.rego} replaced by {@code admission}. */
    byte[] withAdmission(String admission, String revision) {
        Path source = copyOfDefaults();
        rewrite(source.resolve("gantry").resolve("admission.rego"), admission);
        return build(source, revision, ADMISSION, PLACEMENT);
    }

    /** The default policies built with the admission entrypoint only, which every engine refuses. */
    byte[] withoutPlacementEntrypoint(String revision) {
        return build(copyOfDefaults(), revision, ADMISSION);
    }

    private Path copyOfDefaults() {
        try {
            Path source = Files.createTempDirectory(directory, "source-");
            Path gantry = Files.createDirectories(source.resolve("gantry"));
            try (Stream<Path> files = Files.list(POLICIES)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (!file.getFileName().toString().endsWith("_test.rego")) {
                        Files.copy(file, gantry.resolve(file.getFileName()));
                    }
                }
            }
            return source;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] build(Path source, String revision, String... entrypoints) {
        Path bundle = source.resolveSibling(source.getFileName() + ".tar.gz");
        List<String> command = new ArrayList<>(List.of(opaExecutable(), "build", "--target=wasm",
                "--revision=" + revision, "--output=" + bundle));
        command.addAll(List.of(entrypoints));
        command.add(source.toString());
        run(command);
        try {
            return Files.readAllBytes(bundle);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("opa build failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running opa", e);
        }
    }

    /** The opa binary: the first on {@code PATH}, else the one {@code go install} put in ~/go/bin. */
    static String opaExecutable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "opa"))) {
                return Path.of(dir, "opa").toString();
            }
        }
        Path fromGo = Path.of(System.getProperty("user.home"), "go", "bin", "opa");
        return Files.isExecutable(fromGo) ? fromGo.toString() : "opa";
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rewrite(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
