package dev.sluice.job;

import java.util.List;

/**
 * One page of a job listing.
 *
 * @param jobs the jobs, newest first
 * @param nextCursor the cursor for the next page, or null when this is the last
 */
public record JobPage(List<Job> jobs, Long nextCursor) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }

    public boolean hasMore() {
        return nextCursor != null;
    }
}
