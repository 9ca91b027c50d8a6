package dev.sluice.store;

/**
 * Applies write-ahead log entries to the database, each at most once: the ranges of entry ids a
 * transaction applies are recorded in a guard table in the same transaction as their effect, and
 * a log's entries up to its pruned-through mark count as applied. Thread-safe.
 */
public interface WalStore {

    /**
     * A process takes over the log: counts the opening and returns its number, to pass with every
     * {@link #walApply}. Waits for the transactions of the log's previous owner to end, and makes
     * any later one of them fail, so that only this process's flushes run from now on.
     */
    long walOpen(long logId);

    /**
     * Applies the entries not applied before, in one transaction; see {@link WalApplied}. Fails
     * without writing anything when the log was opened again since {@code flush.opened()}.
     */
    WalApplied walApply(WalFlush flush);

    /**
     * Records that every entry of {@code logId} up to {@code throughEntryId} is applied, and drops
     * their guard rows: the log's checkpoint covers them, so they are never offered again.
     */
    void walPrune(long logId, long throughEntryId);

    /** The log's pruned-through mark, 0 when it has none. */
    long walPrunedThrough(long logId);
}
