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
}
