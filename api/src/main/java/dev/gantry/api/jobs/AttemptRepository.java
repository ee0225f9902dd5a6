package dev.gantry.api.jobs;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

/** Stored attempts. */
@JdbcRepository(dialect = Dialect.H2)
public interface AttemptRepository extends CrudRepository<AttemptRecord, String> {

    List<AttemptRecord> findByJobIdOrderByNumber(String jobId);

    Optional<AttemptRecord> findByJobIdAndNumber(String jobId, int number);

    int countByJobIdAndEndReason(String jobId, EndReason endReason);

    @Query("SELECT * FROM attempts WHERE state <> 'ENDED' ORDER BY created_at")
    List<AttemptRecord> findActive();
}
