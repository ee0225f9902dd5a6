package dev.gantry.api.jobs;

import io.micronaut.data.annotation.Embeddable;
import io.micronaut.data.annotation.EmbeddedId;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;

/** One label of a stored job, kept in its own table so jobs can be filtered by label. */
@MappedEntity("job_labels")
public record LabelRecord(@EmbeddedId Key key, String labelValue) {

    /** The primary key: a job and a label name. */
    @Embeddable
    public record Key(@MappedProperty("job_id") String jobId, @MappedProperty("label_name") String labelName) {
    }
}
