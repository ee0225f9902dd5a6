package dev.gantry.api.scheduling;

import dev.gantry.api.backends.BackendEntry;
import dev.gantry.api.backends.BackendRegistry;
import dev.gantry.api.jobs.JobSpec;
import dev.gantry.api.jobs.TenantUsage;
import dev.gantry.api.jobs.Waiting;
import dev.gantry.api.jobs.Waiting.Kind;
import dev.gantry.api.jobs.Waiting.Obstacle;
import dev.gantry.api.policy.PolicyInputs;
import dev.gantry.api.policy.PolicyInputs.Candidate;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PlacementDecision.BackendChoice;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.spi.Backend;
import dev.gantry.spi.Resources;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks placement policy where a job may run, offering every started backend with its capacity
 * read just before. Used by the scheduler for each attempt and at submission, to refuse a job no
 * configured backend could ever run. Thread-safe; blocks on capacity reads and policy.
 */
@Singleton
public class Placement {

    private static final Logger LOG = LoggerFactory.getLogger(Placement.class);

    private final BackendRegistry backends;
    private final PolicyEngine policy;
    private final PolicyInputs inputs;

    public Placement(BackendRegistry backends, PolicyEngine policy, PolicyInputs inputs) {
        this.backends = backends;
        this.policy = policy;
        this.inputs = inputs;
    }

    /**
     * The policy's decision for {@code spec} and the candidates it was offered.
     *
     * @param decision eligible backends best first, and rejected ones with reasons
     * @param candidates the backends offered, with their capacity at the time
     * @param unavailable the configured backends not offered, because they did not start or could
     *     not report their capacity, each with why
     * @param input the placement input the policy decided on, as JSON
     */
    public record Result(
            PlacementDecision decision, List<Candidate> candidates, List<Obstacle> unavailable, String input) {

        public Result {
            candidates = List.copyOf(candidates);
            unavailable = List.copyOf(unavailable);
        }

        /**
         * The first eligible backend, in the policy's order, whose capacity when offered admitted
         * {@code request}; empty when the job has to wait, for room or because the policy holds it
         * back whatever the backend.
         */
        public Optional<Backend> firstWithRoom(Resources request) {
            if (!decision.waitReasons().isEmpty()) {
                return Optional.empty();
            }
            for (BackendChoice choice : decision.eligible()) {
                Optional<Candidate> candidate = candidate(choice.backendId());
                if (candidate.isPresent() && candidate.get().capacity().admits(request)) {
                    return Optional.of(candidate.get().backend());
                }
            }
            return Optional.empty();
        }

        /**
         * Why a job asking for {@code request} cannot start now: the policy's holds, and each
         * backend with the policy's reason to reject it, the room it lacks, or why it was not
         * offered. The one-line reason starts with {@code "waiting: "}.
         */
        public Waiting waiting(Resources request) {
            Map<String, Obstacle> obstacles = new TreeMap<>();
            unavailable.forEach(obstacle -> obstacles.put(obstacle.backendId(), obstacle));
            decision.rejected().forEach(choice -> obstacles.put(choice.backendId(),
                    new Obstacle(choice.backendId(), Kind.CONSTRAINT, choice.reason())));
            for (BackendChoice choice : decision.eligible()) {
                candidate(choice.backendId())
                        .filter(candidate -> !candidate.capacity().admits(request))
                        .ifPresent(candidate -> obstacles.put(choice.backendId(),
                                new Obstacle(choice.backendId(), Kind.CAPACITY, noRoom(candidate, request))));
            }
            List<String> parts = new ArrayList<>(decision.waitReasons());
            if (parts.isEmpty()) {
                obstacles.values().forEach(obstacle -> parts.add(obstacle.backendId() + ": " + obstacle.reason()));
            }
            String reason = parts.isEmpty() ? "no backend is available" : String.join("; ", parts);
            return new Waiting("waiting: " + reason, decision.waitReasons(), List.copyOf(obstacles.values()));
        }

        /** The one-line form of {@link #waiting}. */
        public String waitingReason(Resources request) {
            return waiting(request).reason();
        }

        private Optional<Candidate> candidate(String backendId) {
            return candidates.stream()
                    .filter(candidate -> candidate.backend().describe().id().equals(backendId))
                    .findFirst();
        }

        private static String noRoom(Candidate candidate, Resources request) {
            var capacity = candidate.capacity();
            if (capacity.freeSlots() <= 0) {
                return "no free slot (" + capacity.totalSlots() + " in use)";
            }
            String gpu = request.gpu() > 0
                    ? ", gpu " + capacity.free().gpu() + " free, " + request.gpu() + " asked"
                    : "";
            return "not enough free capacity now (free cpu " + capacity.free().cpu() + ", memory "
                    + capacity.free().memoryBytes() + " bytes; asked cpu " + request.cpu() + ", memory "
                    + request.memoryBytes() + " bytes" + gpu + ")";
        }
    }

    /** The resources a job asks for, in the form backends and capacity use. */
    public static Resources requestOf(JobSpec spec) {
        return new Resources(spec.resources().cpu(), spec.resources().memoryBytes(), spec.resources().gpu());
    }

    /**
     * Decides where {@code spec} may run now.
     *
     * @param usage what the job's tenant has in the system now, not counting this job, for the
     *     policy's quotas on running jobs
     * @throws PolicyException when placement policy cannot decide
     */
    public Result place(JobSpec spec, TenantUsage usage) throws PolicyException {
        List<Candidate> candidates = new ArrayList<>();
        List<Obstacle> unavailable = new ArrayList<>();
        for (BackendEntry entry : backends.entries()) {
            if (entry.backend().isEmpty()) {
                unavailable.add(new Obstacle(entry.id(), Kind.UNAVAILABLE,
                        "the backend did not start: " + entry.error().orElse("unknown error")));
                continue;
            }
            Backend backend = entry.backend().get();
            try {
                candidates.add(new Candidate(backend, backend.capacity()));
            } catch (RuntimeException e) {
                // A backend that cannot say what it has is left out of this decision, not the others.
                LOG.atWarn().addKeyValue("backendId", entry.id()).setCause(e).log("backend capacity unavailable");
                unavailable.add(
                        new Obstacle(entry.id(), Kind.UNAVAILABLE, "the backend could not report its capacity"));
            }
        }
        String input = inputs.placement(spec, usage, candidates);
        return new Result(policy.place(input), candidates, unavailable, input);
    }
}
