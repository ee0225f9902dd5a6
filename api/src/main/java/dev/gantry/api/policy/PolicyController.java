package dev.gantry.api.policy;

import dev.gantry.api.jobs.JobDescriptorReader;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * The policy resource of the v1 REST API. Evaluation blocks on policy and on backends' capacity,
 * so it runs on the blocking executor.
 */
@Controller("/v1/policy")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PolicyController {

    private final JobDescriptorReader descriptors;
    private final PolicyEvaluation evaluation;

    public PolicyController(JobDescriptorReader descriptors, PolicyEvaluation evaluation) {
        this.descriptors = descriptors;
        this.evaluation = evaluation;
    }

    /**
     * A dry run: takes a job descriptor exactly as {@code POST /v1/jobs} does and answers 200 with
     * what admission and placement policy decide about it now, where it would run or why it would
     * wait. Nothing is stored or run, whatever the outcome. An invalid descriptor gets the same 400
     * problem document as a submission; policy that cannot decide gets a 503.
     */
    @Post(value = "/evaluate", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public EvaluationView evaluate(@Body @Nullable String body) {
        return evaluation.evaluate(descriptors.spec(body));
    }
}
