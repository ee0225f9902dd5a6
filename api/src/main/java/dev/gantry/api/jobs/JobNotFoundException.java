package dev.gantry.api.jobs;

/** No job has the id a client asked for. */
public class JobNotFoundException extends RuntimeException {

    public JobNotFoundException(String jobId) {
        super("no job with id '" + jobId + "'");
    }
}
