package dev.sluice.store;

import dev.sluice.job.Job;
import java.util.List;

/**
 * What writing a batch of completions did.
 *
 * @param results one per finish, in the order given
 * @param claimed next jobs of streams claimed for the writing node (see {@link StreamClaim})
 * @param leftForFetch true when the batch may have let next jobs of streams go without claiming
 *                     them: they wait for a fetch, so the node's fetchers should look now
 */
public record FinishBatch(List<FinishResult> results, List<Job> claimed, boolean leftForFetch) {
    public FinishBatch {
        results = List.copyOf(results);
        claimed = List.copyOf(claimed);
    }

    /** A batch written by a store that cannot claim: whatever it let go waits for a fetch. */
    public static FinishBatch unclaimed(List<FinishResult> results) {
        return new FinishBatch(results, List.of(), true);
    }
}
