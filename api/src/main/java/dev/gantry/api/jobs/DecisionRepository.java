package dev.gantry.api.jobs;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** Stored policy decisions, append only; written through {@link JobLifecycle}. */
@JdbcRepository(dialect = Dialect.H2)
public interface DecisionRepository extends CrudRepository<DecisionRecord, Long> {

    @Query("SELECT * FROM policy_decisions WHERE job_id = :jobId ORDER BY id")
    List<DecisionRecord> findByJobIdOldestFirst(String jobId);

    /** How many stored decisions kept the input they were made from. */
    @Query("SELECT COUNT(*) FROM policy_decisions WHERE input IS NOT NULL")
    long countWithInput();

    /**
     * Up to {@code limit} stored decisions that kept their input, newest first, with ids below
     * {@code beforeId}: a page of a walk back through the decisions that resumes where the last ended.
     */
    @Query("SELECT * FROM policy_decisions WHERE input IS NOT NULL AND id < :beforeId ORDER BY id DESC"
            + " LIMIT :limit")
    List<DecisionRecord> findWithInputBefore(long beforeId, int limit);
}
