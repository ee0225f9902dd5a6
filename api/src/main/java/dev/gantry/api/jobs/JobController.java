package dev.gantry.api.jobs;

import dev.gantry.api.web.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.net.URI;
import java.util.List;
import org.reactivestreams.Publisher;

/**
 * The jobs resource of the v1 REST API. Request threads block on the database and on policy, so
 * every endpoint runs on the blocking executor; streams poll on Reactor's bounded elastic pool.
 */
@Controller("/v1/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
public class JobController {

    /** Response header of the logs endpoint: {@code true} when output was lost past the size cap. */
    public static final String TRUNCATED_HEADER = "Gantry-Log-Truncated";

    private static final int MAX_IDEMPOTENCY_KEY = 256;

    private final JobService service;
    private final JobListing listing;
    private final JobEvents events;
    private final JobLogs logs;
    private final JobDescriptorReader descriptors;

    public JobController(
            JobService service, JobListing listing, JobEvents events, JobLogs logs, JobDescriptorReader descriptors) {
        this.service = service;
        this.listing = listing;
        this.events = events;
        this.logs = logs;
        this.descriptors = descriptors;
    }

    /**
     * Submits a job. Answers 201 with the job once it is durably stored, or 200 with the earlier job
     * when the same {@code Idempotency-Key} comes again with the same body.
     */
    @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<JobView> submit(
            @Body @Nullable String body, @Header("Idempotency-Key") @Nullable String idempotencyKey) {
        checkIdempotencyKey(idempotencyKey);
        SubmitResult result = service.submit(descriptors.tree(body), idempotencyKey);
        URI location = URI.create("/v1/jobs/" + result.job().id());
        HttpStatus status = result.created() ? HttpStatus.CREATED : HttpStatus.OK;
        return HttpResponse.<JobView>status(status).body(result.job()).headers(h -> h.location(location));
    }

    /** A job with its state, attempts, admission decision and every stored policy decision. */
    @Get(value = "/{id}", produces = MediaType.APPLICATION_JSON)
    public JobView get(@PathVariable String id) {
        return service.find(id);
    }

    /** Jobs newest first, filtered by {@code state} and {@code label=name=value}, paged by {@code cursor}. */
    @Get(produces = MediaType.APPLICATION_JSON)
    public JobPage list(
            HttpRequest<?> request,
            @QueryValue("state") @Nullable List<String> states,
            @QueryValue("limit") @Nullable String limit,
            @QueryValue("cursor") @Nullable String cursor) {
        // Labels are read raw: a label value may itself hold a comma, which list binding would split.
        List<String> labels = request.getParameters().getAll("label");
        return listing.list(orEmpty(states), labels, limitOf(limit), cursor);
    }

    /** Cancels a job; 202 while its run is being stopped, 200 once it has ended. */
    @Post(value = "/{id}/cancel", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<JobView> cancel(@PathVariable String id) {
        JobView job = service.cancel(id);
        return HttpResponse.status(job.state().isTerminal() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(job);
    }

    /**
     * The output of an attempt as plain text, from byte {@code offset}; {@code follow=true} streams
     * until the attempt ends. The header {@value #TRUNCATED_HEADER} says whether the backend cut the
     * stream at its size cap.
     */
    @Get(value = "/{id}/logs", produces = MediaType.TEXT_PLAIN)
    public HttpResponse<Publisher<byte[]>> logs(
            @PathVariable String id,
            @QueryValue("attempt") @Nullable Integer attempt,
            @QueryValue("stream") @Nullable String stream,
            @QueryValue(value = "follow", defaultValue = "false") boolean follow,
            @QueryValue(value = "offset", defaultValue = "0") long offset) {
        var request = new JobLogs.Request(id, attempt, stream, follow, offset);
        Publisher<byte[]> output = logs.read(request);
        return HttpResponse.ok(output).header(TRUNCATED_HEADER, Boolean.toString(logs.truncated(request)));
    }

    /**
     * The job's lifecycle events as server-sent events, from the first (or after
     * {@code Last-Event-ID}), until the job has ended.
     */
    @Get(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM)
    public Publisher<Event<EventView>> events(
            @PathVariable String id, @Header("Last-Event-ID") @Nullable String lastEventId) {
        return events.stream(id, afterSeq(lastEventId))
                .map(event -> Event.of(event).id(Long.toString(event.seq())).name(event.type()));
    }

    private static void checkIdempotencyKey(String key) {
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            throw InvalidRequestException.of("Idempotency-Key", "must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
    }

    private static Integer limitOf(String limit) {
        if (limit == null) {
            return null;
        }
        try {
            return Integer.valueOf(limit.strip());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of("limit", "'" + limit + "' is not a whole number");
        }
    }

    private static long afterSeq(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            throw InvalidRequestException.of("Last-Event-ID", "'" + lastEventId + "' is not an event id this API sent");
        }
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }
}
