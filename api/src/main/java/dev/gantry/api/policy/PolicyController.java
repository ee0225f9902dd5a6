package dev.gantry.api.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.api.jobs.JobDescriptorReader;
import dev.gantry.api.web.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;

/**
 * The policy resource of the v1 REST API: dry runs, and a candidate bundle in shadow. Evaluation
 * blocks on policy and on backends' capacity, and loading a bundle compiles it, so every call runs
 * on the blocking executor.
 */
@Controller("/v1/policy")
@ExecuteOn(TaskExecutors.BLOCKING)
public class PolicyController {

    private static final String SHADOW_PATH = "/v1/policy/shadow";
    private static final String GZIP = "application/gzip";
    private static final String X_GZIP = "application/x-gzip";

    private final JobDescriptorReader descriptors;
    private final PolicyEvaluation evaluation;
    private final ShadowPolicy shadow;
    private final ObjectMapper mapper;

    public PolicyController(
            JobDescriptorReader descriptors, PolicyEvaluation evaluation, ShadowPolicy shadow, ObjectMapper mapper) {
        this.descriptors = descriptors;
        this.evaluation = evaluation;
        this.shadow = shadow;
        this.mapper = mapper;
    }

    /**
     * A dry run: takes a job descriptor exactly as {@code POST /v1/jobs} does and answers 200 with
     * what admission and placement policy decide about it now, where it would run or why it would
     * wait. Nothing is stored or run, whatever the outcome, and a candidate in shadow is not asked.
     * An invalid descriptor gets the same 400 problem document as a submission; policy that cannot
     * decide gets a 503.
     */
    @Post(value = "/evaluate", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public EvaluationView evaluate(@Body @Nullable String body) {
        return evaluation.evaluate(descriptors.spec(body));
    }

    /**
     * Loads a bundle built with {@code opa build -t wasm} as the candidate in shadow, replacing any
     * earlier one, and answers 201 with its report; the replay of stored decisions starts in the
     * background. A bundle that does not load or fails its probes gets a 422 naming why, and an
     * earlier candidate stays; an empty body gets a 400.
     */
    @Put(value = "/shadow", consumes = {GZIP, X_GZIP, MediaType.APPLICATION_OCTET_STREAM},
            produces = MediaType.APPLICATION_JSON)
    public HttpResponse<ShadowReport> loadShadow(@Body @Nullable byte[] bundle) {
        return HttpResponse.<ShadowReport>status(HttpStatus.CREATED)
                .body(shadow.load(bundle))
                .headers(headers -> headers.location(URI.create(SHADOW_PATH)));
    }

    /**
     * The shadow report: the candidate and active revisions, replay progress, live totals and the
     * most recent changes, newest first; {@code limit} caps how many changes are listed (0 for none).
     * 404 when no candidate is loaded.
     */
    @Get(value = "/shadow", produces = MediaType.APPLICATION_JSON)
    public ShadowReport shadowReport(@QueryValue("limit") @Nullable String limit) {
        return shadow.report(limitOf(limit)).orElseThrow(ShadowNotFoundException::new);
    }

    /**
     * Makes the candidate the active policy and clears the shadow; answers 200 with the revision now
     * in force. {@code expectedRevision}, as a query parameter or a JSON body member, must name the
     * candidate's revision (409 otherwise, and 400 when missing), so what is promoted is what was
     * reviewed. With an OPA server as the active policy the answer is 409: publish the bundle there.
     * 404 when no candidate is loaded.
     */
    @Post(value = "/shadow/promote", consumes = {MediaType.APPLICATION_JSON, MediaType.ALL},
            produces = MediaType.APPLICATION_JSON)
    public PromotionView promoteShadow(
            @QueryValue("expectedRevision") @Nullable String expectedRevision, @Body @Nullable String body) {
        String inBody = expectedRevisionIn(body);
        if (expectedRevision != null && inBody != null && !expectedRevision.equals(inBody)) {
            throw InvalidRequestException.of("expectedRevision", "is '" + expectedRevision + "' in the query but '"
                    + inBody + "' in the body; give it once");
        }
        return shadow.promote(expectedRevision != null ? expectedRevision : inBody);
    }

    /** Discards the candidate: 204, or 404 when none is loaded. */
    @Delete("/shadow")
    public HttpResponse<Void> discardShadow() {
        shadow.discard();
        return HttpResponse.noContent();
    }

    private static int limitOf(String limit) {
        if (limit == null) {
            return ShadowPolicy.KEPT_CHANGES;
        }
        int value;
        try {
            value = Integer.parseInt(limit.strip());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of("limit", "'" + limit + "' is not a whole number from 0 to "
                    + Integer.MAX_VALUE);
        }
        if (value < 0) {
            throw InvalidRequestException.of("limit", "must be 0 or more, got " + value);
        }
        return value;
    }

    private String expectedRevisionIn(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode tree;
        try {
            tree = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw InvalidRequestException.of("", "body is not JSON: " + e.getOriginalMessage());
        }
        JsonNode revision = tree.path("expectedRevision");
        if (!revision.isMissingNode() && !revision.isTextual()) {
            throw InvalidRequestException.of("expectedRevision", "must be a string");
        }
        return revision.isTextual() ? revision.asText() : null;
    }
}
