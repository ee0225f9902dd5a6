package dev.gantry.api.jobs;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

/** Stored job labels. */
@JdbcRepository(dialect = Dialect.H2)
public interface LabelRepository extends CrudRepository<LabelRecord, LabelRecord.Key> {
}
