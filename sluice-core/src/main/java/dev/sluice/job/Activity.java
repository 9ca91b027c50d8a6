package dev.sluice.job;

import java.time.Instant;

/**
 * One activity log entry: something the application said happened to a job or a batch.
 *
 * @param id its id, in the order entries reached the database
 * @param jobId the job it is about, or null
 * @param batchId the batch it is about, or null
 * @param action a short word for what happened, such as {@code "processing"}
 * @param message the details
 * @param node the node that logged it
 * @param loggedAt when it was logged, on that node's clock
 * @param seq the write-ahead log entry id it came through, 0 when it was written directly: entries
 *            are listed by (loggedAt, seq, id), so that those logged in the same millisecond keep
 *            their order although parallel flush workers insert them
 */
public record Activity(long id, Long jobId, Long batchId, String action, String message, String node,
                       Instant loggedAt, long seq) {
}
