package dev.sluice.job;

import java.time.Instant;

/**
 * One activity log entry: something the application said happened to a job or a batch.
 *
 * @param id its id, increasing in the order entries reached the database
 * @param jobId the job it is about, or null
 * @param batchId the batch it is about, or null
 * @param action a short word for what happened, such as {@code "processing"}
 * @param message the details
 * @param node the node that logged it
 * @param loggedAt when it was logged, on that node's clock
 */
public record Activity(long id, Long jobId, Long batchId, String action, String message, String node,
                       Instant loggedAt) {
}
