package dev.sluice.schedule;

import dev.sluice.job.JobContext;
import dev.sluice.job.JobOutcome;

/**
 * The code a handler schedule runs at each occurrence, as a job of the internal kind
 * {@code schedule:<name>}: with the job's retries, timeout and lease like any handler. Called
 * on a virtual thread; implementations must be thread-safe, since a slow run may overlap the
 * next occurrence's.
 */
@FunctionalInterface
public interface ScheduleHandler {

    /**
     * Runs one occurrence.
     *
     * @param run which schedule and occurrence
     * @param context the job's context: id, attempt, progress, cancellation
     * @return the outcome; an exception counts as retry-later
     * @throws Exception counted as retry-later with the exception's message
     */
    JobOutcome handle(ScheduledRun run, JobContext context) throws Exception;
}
