package dev.gantry.api.scheduling;

import dev.gantry.api.backends.BackendRegistry;
import dev.gantry.api.jobs.JobSpec;
import dev.gantry.api.jobs.TenantUsage;
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
     * @param input the placement input the policy decided on, as JSON
     */
    public record Result(PlacementDecision decision, List<Candidate> candidates, String input) {

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
         * Why a job asking for {@code request} cannot start now, naming each backend with the
         * policy's reason to reject it or the room it lacks; starts with {@code "waiting: "}.
         */
        public String waitingReason(Resources request) {
            if (!decision.waitReasons().isEmpty()) {
                return "waiting: " + String.join("; ", decision.waitReasons());
            }
            Map<String, String> reasons = new TreeMap<>();
            decision.rejected().forEach(choice -> reasons.put(choice.backendId(), choice.reason()));
            for (BackendChoice choice : decision.eligible()) {
                candidate(choice.backendId())
                        .ifPresent(candidate -> reasons.put(choice.backendId(), noRoom(candidate, request)));
            }
            if (reasons.isEmpty()) {
                return "waiting: no backend is available";
            }
            List<String> parts = new ArrayList<>();
            reasons.forEach((id, reason) -> parts.add(id + ": " + reason));
            return "waiting: " + String.join("; ", parts);
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
            return "not enough free capacity now (free cpu " + capacity.free().cpu() + ", memory "
                    + capacity.free().memoryBytes() + " bytes; asked cpu " + request.cpu() + ", memory "
                    + request.memoryBytes() + " bytes)";
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
        List<Candidate> candidates = candidates();
        String input = inputs.placement(spec, usage, candidates);
        return new Result(policy.place(input), candidates, input);
    }

    private List<Candidate> candidates() {
        List<Candidate> candidates = new ArrayList<>();
        for (Backend backend : backends.started()) {
            try {
                candidates.add(new Candidate(backend, backend.capacity()));
            } catch (RuntimeException e) {
                // A backend that cannot say what it has is left out of this decision, not the others.
                LOG.atWarn().addKeyValue("backendId", backend.describe().id()).setCause(e)
                        .log("backend capacity unavailable");
            }
        }
        return candidates;
    }
}
