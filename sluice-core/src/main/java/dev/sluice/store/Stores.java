package dev.sluice.store;

/**
 * The stores of one database, opened together and closed together.
 *
 * @param jobs the job store
 * @param nodes the node registry
 * @param leaders the leader leases
 * @param schedules recurring schedules and their fired occurrences
 * @param notifier cross-node wake-ups
 * @param cdc change-detection hashes
 * @param activities activity logs of jobs and batches
 * @param wal where the write-ahead log's entries are applied, each at most once
 * @param dialect the database's name ({@code sqlite}, {@code postgresql}, {@code mariadb})
 * @param onClose what to close afterwards (the connection pools Sluice created), never null
 */
public record Stores(JobStore jobs, NodeStore nodes, LeaderStore leaders, ScheduleStore schedules, Notifier notifier,
                     CdcStore cdc, ActivityStore activities, WalStore wal, String dialect,
                     AutoCloseable onClose) implements AutoCloseable {
    @Override
    public void close() throws Exception {
        try {
            notifier.close();
        } finally {
            onClose.close();
        }
    }
}
