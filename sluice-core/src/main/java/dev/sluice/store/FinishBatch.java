package dev.sluice.store;

import dev.sluice.job.Job;
import java.util.List;

/**
 * What writing a batch of completions did.
 *
 * @param results one per finish, in the order given
 * @param claimed next jobs of streams claimed for the writing node (see {@link StreamClaim})
 */
public record FinishBatch(List<FinishResult> results, List<Job> claimed) {
    public FinishBatch {
        results = List.copyOf(results);
        claimed = List.copyOf(claimed);
    }
}
