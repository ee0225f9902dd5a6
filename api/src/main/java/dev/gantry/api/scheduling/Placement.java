package dev.gantry.api.scheduling;

import dev.gantry.api.backends.BackendRegistry;
import dev.gantry.api.jobs.JobSpec;
import dev.gantry.api.policy.PolicyInputs;
import dev.gantry.api.policy.PolicyInputs.Candidate;
import dev.gantry.policy.PlacementDecision;
import dev.gantry.policy.PolicyEngine;
import dev.gantry.policy.PolicyException;
import dev.gantry.spi.Backend;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
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
     */
    public record Result(PlacementDecision decision, List<Candidate> candidates) {
    }

    /**
     * Decides where {@code spec} may run now.
     *
     * @throws PolicyException when placement policy cannot decide
     */
    public Result place(JobSpec spec) throws PolicyException {
        List<Candidate> candidates = candidates();
        return new Result(policy.place(inputs.placement(spec, candidates)), candidates);
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
