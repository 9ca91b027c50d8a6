package dev.sluice.job;

/**
 * A filter for listing jobs, newest first, one page at a time. Null fields match everything.
 *
 * @param state only jobs in this state
 * @param kind only jobs of this kind
 * @param queue only jobs on this queue
 * @param limit page size, 1 to 1000
 * @param beforeId the cursor: only jobs with a smaller id (take it from {@link JobPage#nextCursor()})
 */
public record JobQuery(JobState state, String kind, String queue, int limit, Long beforeId) {

    public JobQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, got " + limit);
        }
    }

    /** Every job, 100 a page. */
    public static JobQuery all() {
        return new JobQuery(null, null, null, 100, null);
    }

    public JobQuery state(JobState state) {
        return new JobQuery(state, kind, queue, limit, beforeId);
    }

    public JobQuery kind(String kind) {
        return new JobQuery(state, kind, queue, limit, beforeId);
    }

    public JobQuery queue(String queue) {
        return new JobQuery(state, kind, queue, limit, beforeId);
    }

    public JobQuery limit(int limit) {
        return new JobQuery(state, kind, queue, limit, beforeId);
    }

    /** The page after {@code previous}; empty when {@code previous} was the last page. */
    public JobQuery after(JobPage previous) {
        // Ids are positive, so 0 as the cursor past the last page matches nothing.
        return new JobQuery(state, kind, queue, limit, previous.hasMore() ? previous.nextCursor() : 0L);
    }
}
