package dev.sluice.job;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of one job as stored. Immutable; read it again to see later changes.
 *
 * @param id the job's id, unique in its database
 * @param kind the handler's name
 * @param queue the queue it runs on
 * @param state its state when it was read
 * @param priority higher runs first among jobs that are due
 * @param payload the payload as JSON text
 * @param tags free labels for searching
 * @param attempt attempts started so far
 * @param maxAttempts attempts allowed before the job is discarded
 * @param runAt when it becomes (or became) due
 * @param createdAt when it was enqueued
 * @param startedAt when its latest attempt started, or null
 * @param finishedAt when it reached a final state, or null
 * @param leaseOwner the node holding it while running, or null
 * @param leaseUntil when that lease expires unless renewed, or null
 * @param cancelRequested true once cancellation of a running job was asked for
 * @param progress the last reported progress in [0, 1], or null
 * @param progressMessage the message that came with the last progress report, or null
 * @param result the JSON result of a successful run, or null
 * @param errors the error history, oldest first
 * @param key the job's key, or null
 * @param stream the job's stream (or concurrency group), or null
 */
public record Job(
        long id,
        String kind,
        String queue,
        JobState state,
        int priority,
        String payload,
        List<String> tags,
        int attempt,
        int maxAttempts,
        Instant runAt,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String leaseOwner,
        Instant leaseUntil,
        boolean cancelRequested,
        Double progress,
        String progressMessage,
        String result,
        List<JobError> errors,
        String key,
        String stream) {

    public Job {
        tags = List.copyOf(tags);
        errors = List.copyOf(errors);
    }

    /** A job without key or stream. */
    public Job(long id, String kind, String queue, JobState state, int priority, String payload, List<String> tags,
               int attempt, int maxAttempts, Instant runAt, Instant createdAt, Instant startedAt, Instant finishedAt,
               String leaseOwner, Instant leaseUntil, boolean cancelRequested, Double progress, String progressMessage,
               String result, List<JobError> errors) {
        this(id, kind, queue, state, priority, payload, tags, attempt, maxAttempts, runAt, createdAt, startedAt,
                finishedAt, leaseOwner, leaseUntil, cancelRequested, progress, progressMessage, result, errors, null, null);
    }

    /** The message of the latest failed attempt, or null when none failed. */
    public String lastError() {
        return errors.isEmpty() ? null : errors.get(errors.size() - 1).message();
    }
}
