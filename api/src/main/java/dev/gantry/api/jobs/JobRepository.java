package dev.gantry.api.jobs;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stored jobs. State changes go through {@link JobLifecycle}, which also writes their events. */
@JdbcRepository(dialect = Dialect.H2)
public interface JobRepository extends CrudRepository<JobRecord, String> {

    Optional<JobRecord> findByTenantAndIdempotencyKey(String tenant, String idempotencyKey);

    /** The tenant's running and queued jobs and what they request; zeros when it has none. */
    @Query("""
            SELECT
                COALESCE(SUM(CASE WHEN state IN ('SCHEDULED', 'RUNNING') THEN 1 ELSE 0 END), 0) AS running_jobs,
                COALESCE(SUM(CASE WHEN state IN ('PENDING', 'RETRYING') THEN 1 ELSE 0 END), 0) AS queued_jobs,
                COALESCE(SUM(cpu), 0) AS cpu,
                COALESCE(SUM(memory_bytes), 0) AS memory_bytes
            FROM jobs
            WHERE tenant = :tenant AND state IN ('PENDING', 'RETRYING', 'SCHEDULED', 'RUNNING')""")
    TenantUsage usageOf(String tenant);

    @Query("""
            SELECT * FROM jobs
            WHERE cancel_requested = FALSE
              AND (state = 'PENDING' OR (state = 'RETRYING' AND next_run_at <= :now))
            ORDER BY priority DESC, created_at, id
            LIMIT :limit""")
    List<JobRecord> findRunnable(Instant now, int limit);

    @Query("""
            UPDATE jobs SET state = :state, next_run_at = :nextRunAt, waiting_reason = :waitingReason,
                waiting_detail = NULL, updated_at = :now
            WHERE id = :id""")
    void updateState(
            String id, String state, @Nullable Instant nextRunAt, @Nullable String waitingReason, Instant now);

    @Query("UPDATE jobs SET state = :state, attempt_count = :attemptCount, waiting_reason = NULL, "
            + "waiting_detail = NULL, next_run_at = NULL, updated_at = :now WHERE id = :id")
    void updateForAttempt(String id, String state, int attemptCount, Instant now);

    @Query("UPDATE jobs SET waiting_reason = :waitingReason, waiting_detail = :waitingDetail, updated_at = :now "
            + "WHERE id = :id")
    void updateWaitingReason(String id, String waitingReason, @Nullable String waitingDetail, Instant now);

    /** Ids of jobs with an active attempt whose cancel was requested and not yet carried out. */
    @Query("SELECT id FROM jobs WHERE cancel_requested = TRUE AND state IN ('SCHEDULED', 'RUNNING')")
    List<String> findCancellingIds();

    @Query("UPDATE jobs SET cancel_requested = TRUE, updated_at = :now WHERE id = :id")
    void markCancelRequested(String id, Instant now);
}
