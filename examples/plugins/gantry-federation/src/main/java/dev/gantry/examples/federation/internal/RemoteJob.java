package dev.gantry.examples.federation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.spi.BackendException;
import dev.gantry.spi.Resources;
import dev.gantry.spi.RunState;
import dev.gantry.spi.RunStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A job as the remote control plane shows it, reduced to what a backend needs: who it belongs to,
 * where it is, and how its latest attempt ended.
 *
 * @param id the remote job id
 * @param tenant the remote tenant
 * @param state the remote job state, such as {@code RUNNING}
 * @param labels the job's labels
 * @param resources what the job asked for
 * @param waitingReason why a waiting job has not started, or empty
 * @param updatedAt when the job last changed, if shown
 * @param latest the latest attempt, if there is one and it is shown (listings omit attempts)
 */
public record RemoteJob(
        String id,
        String tenant,
        String state,
        Map<String, String> labels,
        Resources resources,
        String waitingReason,
        Optional<Instant> updatedAt,
        Optional<Attempt> latest) {

    public RemoteJob {
        labels = Map.copyOf(labels);
    }

    /**
     * One attempt of a remote job.
     *
     * @param endReason why it ended, such as {@code EXITED}, or empty while it has not
     * @param message the remote's explanation, possibly empty
     */
    public record Attempt(
            Optional<Instant> startedAt,
            Optional<Instant> endedAt,
            OptionalInt exitCode,
            Optional<String> signal,
            String endReason,
            String message) {
    }

    /** Reads a job of the remote's REST API. */
    public static RemoteJob of(JsonNode job) {
        JsonNode attempts = job.path("attempts");
        Optional<Attempt> latest = attempts.isArray() && attempts.size() > 0
                ? Optional.of(attemptOf(attempts.get(attempts.size() - 1)))
                : Optional.empty();
        return new RemoteJob(
                job.path("id").asText(""),
                job.path("tenant").asText(""),
                job.path("state").asText(""),
                labelsOf(job.path("labels")),
                resourcesOf(job.path("spec").path("resources")),
                job.path("waitingReason").asText(""),
                instant(job.path("updatedAt")),
                latest);
    }

    /** Whether the remote job has ended and will not change again. */
    public boolean isTerminal() {
        return state.equals("COMPLETED") || state.equals("FAILED") || state.equals("CANCELLED");
    }

    /** The value of one label, if the job carries it. */
    public Optional<String> label(String name) {
        return Optional.ofNullable(labels.get(name));
    }

    /**
     * This job as the status of a run. The remote retries nothing (a forwarded job gets one
     * attempt), so its latest attempt is the run.
     *
     * @throws BackendException of kind {@link BackendException.Kind#INTERNAL} for a state this
     *     backend does not know, rather than guessing whether the run has ended
     */
    public RunStatus toRunStatus() throws BackendException {
        return switch (state) {
            case "PENDING", "SCHEDULED", "RETRYING" -> live(RunState.STARTING, waiting());
            case "RUNNING" -> live(RunState.RUNNING, "");
            case "COMPLETED", "FAILED" -> latest.map(this::ended).orElseGet(() -> lost("ended without an attempt"));
            case "CANCELLED" -> latest.map(attempt -> ended(attempt, RunState.CANCELLED))
                    .orElseGet(this::cancelledWaiting);
            default -> throw new BackendException(BackendException.Kind.INTERNAL,
                    "remote job " + id + " is in state '" + state + "', which this backend does not know");
        };
    }

    private String waiting() {
        return waitingReason.isEmpty() ? "remote job " + id + " " + state : "remote job " + id + " " + waitingReason;
    }

    private RunStatus live(RunState runState, String message) {
        Optional<Instant> startedAt = runState == RunState.RUNNING
                ? latest.flatMap(Attempt::startedAt)
                : Optional.empty();
        return new RunStatus(runState, OptionalInt.empty(), Optional.empty(), startedAt, Optional.empty(), message);
    }

    private RunStatus ended(Attempt attempt) {
        return switch (attempt.endReason()) {
            case "EXITED" -> ended(attempt, RunState.EXITED);
            case "TIMED_OUT" -> ended(attempt, RunState.TIMED_OUT);
            case "CANCELLED" -> ended(attempt, RunState.CANCELLED);
            default -> ended(attempt, RunState.LOST);
        };
    }

    private RunStatus ended(Attempt attempt, RunState runState) {
        String why = attempt.message().isEmpty() ? attempt.endReason() : attempt.message();
        return new RunStatus(runState, attempt.exitCode(), attempt.signal(), attempt.startedAt(),
                attempt.endedAt().or(() -> updatedAt), "remote job " + id + " " + state + ": " + why);
    }

    private RunStatus lost(String why) {
        return new RunStatus(RunState.LOST, OptionalInt.empty(), Optional.empty(), Optional.empty(), updatedAt,
                "remote job " + id + " " + state + ": " + why);
    }

    private RunStatus cancelledWaiting() {
        return new RunStatus(RunState.CANCELLED, OptionalInt.empty(), Optional.empty(), Optional.empty(), updatedAt,
                "remote job " + id + " cancelled before it started");
    }

    private static Attempt attemptOf(JsonNode attempt) {
        JsonNode exitCode = attempt.path("exitCode");
        JsonNode signal = attempt.path("signal");
        return new Attempt(
                instant(attempt.path("startedAt")),
                instant(attempt.path("endedAt")),
                exitCode.isIntegralNumber() ? OptionalInt.of(exitCode.intValue()) : OptionalInt.empty(),
                signal.isTextual() ? Optional.of(signal.textValue()) : Optional.empty(),
                attempt.path("endReason").asText(""),
                attempt.path("message").isTextual() ? attempt.path("message").textValue() : "");
    }

    private static Map<String, String> labelsOf(JsonNode labels) {
        Map<String, String> map = new LinkedHashMap<>();
        labels.properties().forEach(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        return map;
    }

    private static Resources resourcesOf(JsonNode resources) {
        return new Resources(
                Math.max(0, resources.path("cpu").asDouble(0)),
                Math.max(0, resources.path("memory").asLong(0)),
                Math.max(0, resources.path("gpu").asInt(0)));
    }

    private static Optional<Instant> instant(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(node.textValue()));
        } catch (DateTimeParseException e) {
            // A time the remote wrote in another form is shown as unknown rather than failing the call.
            return Optional.empty();
        }
    }
}
