package dev.gantry.policy.embedded;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real {@code opa} binary, run as a process. Tests that need it fail, never skip, when it is
 * missing: the point of those tests is to compare against real OPA.
 */
public final class OpaCli {

    private static final long TIMEOUT_SECONDS = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path executable;

    private OpaCli(Path executable) {
        this.executable = executable;
    }

    /**
     * Finds opa: the {@code opa.executable} system property (a path or a name on PATH), then
     * {@code opa} on PATH, then {@code bin/opa} under each GOPATH entry and under {@code ~/go}.
     */
    public static OpaCli locate() {
        String configured = System.getProperty("opa.executable", "opa");
        Optional<Path> found = candidates(configured).filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            fail("opa binary not found (looked for '" + configured + "' on PATH, in GOPATH/bin and ~/go/bin);"
                    + " install it with: go install github.com/open-policy-agent/opa@v1.22.4");
        }
        return new OpaCli(found.get());
    }

    /** The opa binary found. */
    public Path executable() {
        return executable;
    }

    /** Runs {@code opa eval} and returns the query's value, or a missing node when it is undefined. */
    JsonNode eval(Path regoDirectory, Path input, String query) throws IOException, InterruptedException {
        String output = run(
                "eval", "--format", "json", "--data", regoDirectory.toString(),
                "--input", input.toString(), query);
        return JSON.readTree(output).path("result").path(0).path("expressions").path(0).path("value");
    }

    /** Runs {@code opa build -t wasm} on a source directory, with extra arguments such as entrypoints. */
    public void buildWasm(Path sourceDirectory, Path bundle, String... arguments)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("build", "--target=wasm", "--output=" + bundle));
        command.addAll(List.of(arguments));
        command.add(sourceDirectory.toString());
        run(command.toArray(String[]::new));
    }

    private String run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("opa-stdout", ".txt");
        Path errors = Files.createTempFile("opa-stderr", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile())
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("opa did not finish within " + TIMEOUT_SECONDS + "s: " + command);
            }
            if (process.exitValue() != 0) {
                fail("opa failed with exit code " + process.exitValue() + ": " + command + "\n"
                        + Files.readString(errors));
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    private static Stream<Path> candidates(String configured) {
        List<Path> candidates = new ArrayList<>();
        if (configured.contains(File.separator)) {
            candidates.add(Path.of(configured));
        }
        for (String directory : pathEntries(System.getenv("PATH"))) {
            candidates.add(Path.of(directory, configured));
            candidates.add(Path.of(directory, "opa"));
        }
        for (String goPath : pathEntries(System.getenv("GOPATH"))) {
            candidates.add(Path.of(goPath, "bin", "opa"));
        }
        candidates.add(Path.of(System.getProperty("user.home"), "go", "bin", "opa"));
        return candidates.stream();
    }

    private static List<String> pathEntries(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return List.of(value.split(File.pathSeparator));
    }
}
