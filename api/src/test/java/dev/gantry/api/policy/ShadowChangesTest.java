package dev.gantry.api.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.api.jobs.DecisionKind;
import dev.gantry.api.policy.ShadowReport.Change;
import dev.gantry.api.policy.ShadowReport.Source;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShadowChangesTest {

    @Test
    void keepsTheMostRecentChangesNewestFirst() {
        ShadowChanges changes = new ShadowChanges(3);

        for (int i = 1; i <= 5; i++) {
            changes.add(change("job-" + i));
        }

        assertThat(changes.newest(10)).extracting(Change::jobId).containsExactly("job-5", "job-4", "job-3");
    }

    @Test
    void limitCapsTheChangesReturned() {
        ShadowChanges changes = new ShadowChanges(3);
        changes.add(change("job-1"));
        changes.add(change("job-2"));

        List<Change> newest = changes.newest(1);

        assertThat(newest).extracting(Change::jobId).containsExactly("job-2");
        assertThat(changes.newest(0)).isEmpty();
    }

    @Test
    void capacityMustHoldAChange() {
        assertThatThrownBy(() -> new ShadowChanges(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("capacity must be at least 1, got 0");
    }

    private static Change change(String jobId) {
        return new Change(Source.LIVE, DecisionKind.PLACEMENT, jobId, "acme", "digest", Instant.EPOCH, null, null,
                null, null);
    }
}
