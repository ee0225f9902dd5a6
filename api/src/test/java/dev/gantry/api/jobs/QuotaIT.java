package dev.gantry.api.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.ApiClient;
import dev.gantry.api.ControlPlaneTestSupport;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Quotas against live usage. The default bundle gives tenant {@code quota-test} room for three
 * queued jobs; the one backend has a single slot, kept busy so submitted jobs stay queued.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaIT implements ControlPlaneTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TENANT = "quota-test";
    private static final int QUEUED_QUOTA = 3;
    private static final int SUBMISSIONS = 20;

    @Inject
    EmbeddedServer server;

    @Inject
    JobRepository jobs;

    private ApiClient api;

    @Override
    public Map<String, String> extraProperties() {
        return Map.of("gantry.backends.local.slots", "1");
    }

    @BeforeEach
    void connect() {
        api = new ApiClient(server.getURI());
    }

    @Test
    void concurrentSubmissionsFromOneTenantNeverExceedItsQueuedQuota() throws Exception {
        String longJob = api.submit(job("[\"sleep\", \"300\"]"));
        api.awaitState(longJob, "RUNNING", WAIT);

        List<ApiClient.Response> responses = submitAtOnce(job("[\"true\"]"));

        List<ApiClient.Response> created = responses.stream().filter(r -> r.status() == 201).toList();
        List<ApiClient.Response> denied = responses.stream().filter(r -> r.status() == 403).toList();
        assertThat(created).hasSize(QUEUED_QUOTA);
        assertThat(denied).hasSize(SUBMISSIONS - QUEUED_QUOTA);
        denied.forEach(response -> assertThat(response.json().get("reasons").toString())
                .contains("tenant 'quota-test' has reached its quota of queued jobs (3 queued, quota 3)"));
        assertThat(jobs.usageOf(TENANT)).isEqualTo(new TenantUsage(1, QUEUED_QUOTA, 1 + QUEUED_QUOTA, 4L << 29));

        api.post("/v1/jobs/" + longJob + "/cancel", "");
        created.forEach(response -> api.post("/v1/jobs/" + response.json().get("id").asText() + "/cancel", ""));
        api.awaitState(longJob, "CANCELLED", WAIT);
    }

    @Test
    void usageCountsRunningAndQueuedJobsAndWhatTheyRequest() {
        String tenant = "usage-" + UUID.randomUUID();
        Instant now = Instant.now();
        jobs.save(record(tenant, JobState.PENDING, 1.5, 100, now));
        jobs.save(record(tenant, JobState.RETRYING, 0.5, 200, now));
        jobs.save(record(tenant, JobState.SCHEDULED, 2, 300, now));
        jobs.save(record(tenant, JobState.RUNNING, 4, 400, now));
        jobs.save(record(tenant, JobState.COMPLETED, 8, 800, now));
        jobs.save(record(tenant, JobState.CANCELLED, 8, 800, now));
        jobs.save(record("someone-else", JobState.RUNNING, 16, 1600, now));

        assertThat(jobs.usageOf(tenant)).isEqualTo(new TenantUsage(2, 2, 8, 1000));
        assertThat(jobs.usageOf("nobody-" + UUID.randomUUID())).isEqualTo(new TenantUsage(0, 0, 0, 0));
    }

    private List<ApiClient.Response> submitAtOnce(String body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SUBMISSIONS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiClient.Response>> futures = new ArrayList<>();
            for (int i = 0; i < SUBMISSIONS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return api.post("/v1/jobs", body);
                }));
            }
            start.countDown();
            List<ApiClient.Response> responses = new ArrayList<>();
            for (Future<ApiClient.Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String job(String command) {
        return "{\"tenant\":\"" + TENANT + "\",\"command\":" + command + "}";
    }

    /** A stored job marked for cancellation, so the scheduler never picks it up; it still counts as usage. */
    private static JobRecord record(String tenant, JobState state, double cpu, long memoryBytes, Instant now) {
        return new JobRecord(UUID.randomUUID().toString(), tenant, "usage", state, 0, "{}", cpu, memoryBytes, null,
                "digest", "trace", "{}", null, null, 1, 0, true, null, now, now);
    }
}
