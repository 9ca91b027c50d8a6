package dev.sluice.store;

/**
 * A running job as the database sees it from the node holding its lease.
 *
 * @param id the job
 * @param attempt the attempt the lease is for
 * @param cancelRequested whether someone asked the job to stop
 */
public record HeldLease(long id, int attempt, boolean cancelRequested) {
}
