package dev.gantry.api.jobs;

import java.util.List;

/**
 * No configured backend could ever run a job: placement policy rejected every one (too small in
 * total, missing a capability, outside the job's constraints). Waiting would never end, so the
 * job is refused at submission; nothing was stored.
 */
public class JobUnplaceableException extends RuntimeException {

    private final transient List<String> reasons;

    public JobUnplaceableException(List<String> reasons) {
        super("no configured backend can run this job: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    /** Why each backend was rejected, as {@code <backend id>: <reason>}. */
    public List<String> reasons() {
        return reasons;
    }
}
