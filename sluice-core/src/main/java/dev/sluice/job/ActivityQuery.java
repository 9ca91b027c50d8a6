package dev.sluice.job;

/**
 * Which activity log entries to read: those of one job or one batch, oldest first, a page at a
 * time. Immutable.
 *
 * <pre>{@code
 * List<Activity> page = sluice.activities(ActivityQuery.job(id).limit(100));
 * List<Activity> next = sluice.activities(ActivityQuery.job(id).limit(100).after(page.getLast().id()));
 * }</pre>
 *
 * @param jobId the job, or null
 * @param batchId the batch, or null
 * @param afterId only entries with a larger id (paging), 0 for the first page
 * @param limit the most entries returned, 1 to 10,000; default 1,000
 */
public record ActivityQuery(Long jobId, Long batchId, long afterId, int limit) {
    public static final int MAX_LIMIT = 10_000;

    public ActivityQuery {
        if ((jobId == null) == (batchId == null)) {
            throw new IllegalArgumentException("give either a job id or a batch id");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
        }
    }

    public static ActivityQuery job(long jobId) {
        return new ActivityQuery(jobId, null, 0, 1000);
    }

    public static ActivityQuery batch(long batchId) {
        return new ActivityQuery(null, batchId, 0, 1000);
    }

    public ActivityQuery after(long id) {
        return new ActivityQuery(jobId, batchId, id, limit);
    }

    public ActivityQuery limit(int limit) {
        return new ActivityQuery(jobId, batchId, afterId, limit);
    }
}
