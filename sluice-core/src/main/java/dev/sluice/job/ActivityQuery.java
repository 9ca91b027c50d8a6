package dev.sluice.job;

/**
 * Which activity log entries to read: those of one job or one batch, in the order they were
 * logged, a page at a time. Immutable.
 *
 * <pre>{@code
 * List<Activity> page = sluice.activities(ActivityQuery.job(id).limit(100));
 * List<Activity> next = sluice.activities(ActivityQuery.job(id).limit(100).after(page.getLast()));
 * }</pre>
 *
 * @param jobId the job, or null
 * @param batchId the batch, or null
 * @param afterLoggedAtMillis with afterSeq and afterId: the key of the last entry of the previous
 *                            page (entries come in (loggedAt, seq, id) order); -1 for the first page
 * @param afterSeq see afterLoggedAtMillis
 * @param afterId see afterLoggedAtMillis
 * @param limit the most entries returned, 1 to 10,000; default 1,000
 */
public record ActivityQuery(Long jobId, Long batchId, long afterLoggedAtMillis, long afterSeq, long afterId,
                            int limit) {
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
        return new ActivityQuery(jobId, null, -1, -1, -1, 1000);
    }

    public static ActivityQuery batch(long batchId) {
        return new ActivityQuery(null, batchId, -1, -1, -1, 1000);
    }

    /** The page after {@code last}, the last entry of the previous page. */
    public ActivityQuery after(Activity last) {
        return new ActivityQuery(jobId, batchId, last.loggedAt().toEpochMilli(), last.seq(), last.id(), limit);
    }

    public ActivityQuery limit(int limit) {
        return new ActivityQuery(jobId, batchId, afterLoggedAtMillis, afterSeq, afterId, limit);
    }
}
