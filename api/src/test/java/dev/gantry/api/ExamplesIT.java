package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Submits each job descriptor shipped in {@code examples/jobs} and checks it behaves as the README says. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesIT implements ControlPlaneTestSupport {

    private static final Path EXAMPLES = Path.of("..", "examples", "jobs");
    private static final Path LICENSES = Path.of("/usr/share/common-licenses");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    EmbeddedServer server;

    private ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void checksumJobPrintsAManifestOfEveryLicenseFile() throws Exception {
        String id = api.submit(example("checksum-licenses.json"));

        api.awaitState(id, "COMPLETED", WAIT);

        List<String> manifest = api.get("/v1/jobs/" + id + "/logs").body().lines().toList();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(LICENSES)) {
            files = walk.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        assertThat(manifest).hasSize(files.size());
        for (Path file : files) {
            assertThat(manifest).contains(sha256(file) + "  " + file);
        }
    }

    @Test
    void wordFrequencyJobPrintsTheTopTwentyWords() throws Exception {
        String id = api.submit(example("word-frequencies.json"));

        api.awaitState(id, "COMPLETED", WAIT);

        List<String> lines = api.get("/v1/jobs/" + id + "/logs").body().lines().toList();
        Map<String, Integer> expected = wordCounts(LICENSES.resolve("GPL-3"));
        assertThat(lines).hasSize(20);
        assertThat(lines.get(0).strip()).isEqualTo(expected.get("the") + " the");
        for (String line : lines) {
            String[] parts = line.strip().split(" ");
            assertThat(Integer.parseInt(parts[0])).as(line).isEqualTo(expected.get(parts[1]));
        }
    }

    @Test
    void alwaysFailingJobIsRetriedThenFails() throws Exception {
        String id = api.submit(example("always-exits-3.json"));

        JsonNode job = api.awaitState(id, "FAILED", WAIT);

        assertThat(job.get("attempts")).hasSize(3);
        job.get("attempts").forEach(attempt -> assertThat(attempt.get("exitCode").asInt()).isEqualTo(3));
        assertThat(api.get("/v1/jobs/" + id + "/logs?attempt=2&stream=stderr").body())
                .isEqualTo("attempt 2: failing on purpose\n");
    }

    @Test
    void jobAskingFor512CpusIsDenied() throws Exception {
        ApiClient.Response response = api.post("/v1/jobs", example("denied-512-cpus.json"));

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.json().get("reasons").get(0).asText()).contains("cpu");
    }

    @Test
    void jobOutlivingItsTimeoutIsKilledWithItsChild() throws Exception {
        String id = api.submit(example("timeout-kills-child.json"));

        JsonNode job = api.awaitState(id, "FAILED", WAIT);

        assertThat(job.get("attempts").get(0).get("endReason").asText()).isEqualTo("TIMED_OUT");
        assertThat(Processes.awaitGone(childPid(id), Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void longJobIsCancelledWhileRunning() throws Exception {
        String id = api.submit(example("long-running.json"));
        api.awaitJob(id, job -> api.get("/v1/jobs/" + id + "/logs").body().startsWith("child"), WAIT);

        api.post("/v1/jobs/" + id + "/cancel", "");

        JsonNode job = api.awaitState(id, "CANCELLED", WAIT);
        assertThat(job.get("attempts").get(0).get("endReason").asText()).isEqualTo("CANCELLED");
        assertThat(Processes.awaitGone(childPid(id), Duration.ofSeconds(10))).isTrue();
    }

    private long childPid(String id) {
        String output = api.get("/v1/jobs/" + id + "/logs").body().strip();
        return Long.parseLong(output.substring("child ".length()));
    }

    private static String example(String name) throws IOException {
        return Files.readString(EXAMPLES.resolve(name));
    }

    private static String sha256(Path file) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return HexFormat.of().formatHex(digest);
    }

    private static Map<String, Integer> wordCounts(Path file) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (String word : Files.readString(file).split("[^A-Za-z]+")) {
            if (!word.isEmpty()) {
                counts.merge(word.toLowerCase(Locale.ROOT), 1, Integer::sum);
            }
        }
        return counts;
    }
}
