package dev.sluice.store;

/**
 * A job completion as logged in the write-ahead log: applied only while {@code owner} still holds
 * the job for {@code attempt}.
 *
 * @param owner the node that ran the attempt
 * @param attempt the attempt's number
 * @param finish how it ended
 */
public record WalFinish(String owner, int attempt, JobFinish finish) {
}
