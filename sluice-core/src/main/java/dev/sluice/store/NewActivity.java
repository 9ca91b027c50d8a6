package dev.sluice.store;

/**
 * An activity log entry ready to insert: about one job or one batch.
 *
 * @param jobId the job it is about, or null
 * @param batchId the batch it is about, or null
 * @param action a short word for what happened
 * @param message the details
 * @param node the node that logged it
 * @param loggedAtMillis when it was logged, epoch milliseconds on that node's clock (it may reach
 *                       the database later, through the write-ahead log)
 */
public record NewActivity(Long jobId, Long batchId, String action, String message, String node, long loggedAtMillis) {
}
