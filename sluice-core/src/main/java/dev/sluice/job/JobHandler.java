package dev.sluice.job;

/**
 * The code that runs jobs of one kind. Called on a virtual thread; several calls run at once,
 * up to the queue's concurrency, so implementations must be thread-safe. No database connection
 * is held by Sluice while it runs.
 *
 * @param <T> the payload type, decoded from JSON with Jackson
 */
@FunctionalInterface
public interface JobHandler<T> {

    /**
     * Runs one attempt.
     *
     * @param payload the decoded payload
     * @param context the attempt's context: id, attempt number, progress, cancellation
     * @return the outcome; an exception counts as retry-later
     * @throws Exception counted as retry-later with the exception's message
     */
    JobOutcome handle(T payload, JobContext context) throws Exception;
}
