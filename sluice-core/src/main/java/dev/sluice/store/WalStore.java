package dev.sluice.store;

/**
 * Applies write-ahead log entries to the database, each at most once: an entry's
 * {@code (log id, entry id)} is recorded in a guard table in the same transaction as its effect,
 * and a log's entries up to its pruned-through mark count as applied. Thread-safe.
 */
public interface WalStore {

    /** Applies the entries not applied before, in one transaction; see {@link WalApplied}. */
    WalApplied walApply(WalBatch batch);

    /**
     * Records that every entry of {@code logId} up to {@code throughEntryId} is applied, and drops
     * their guard rows: the log's checkpoint covers them, so they are never offered again.
     */
    void walPrune(long logId, long throughEntryId);

    /** The log's pruned-through mark, 0 when it has none. */
    long walPrunedThrough(long logId);
}
