package dev.gantry.api.jobs;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

/** Stored lifecycle events, append only. */
@JdbcRepository(dialect = Dialect.H2)
public interface EventRepository extends CrudRepository<EventRecord, Long> {

    @Query("SELECT * FROM job_events WHERE job_id = :jobId AND seq > :afterSeq ORDER BY seq LIMIT :limit")
    List<EventRecord> findAfter(String jobId, long afterSeq, int limit);
}
