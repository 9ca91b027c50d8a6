package dev.sluice.store;

import java.util.List;

/**
 * Entries of one log to apply in one transaction: several batches of consecutive entries, in
 * entry id order, each written with one statement per kind of record.
 *
 * @param logId the log they come from
 * @param opened the log's opening this process holds ({@link WalStore#walOpen}); the transaction
 *               fails when the log was opened again since
 * @param batches the batches, in entry id order
 */
public record WalFlush(long logId, long opened, List<WalBatch> batches) {
    public WalFlush {
        batches = List.copyOf(batches);
    }

    /** Entries in all batches. */
    public int size() {
        int n = 0;
        for (WalBatch b : batches) {
            n += b.size();
        }
        return n;
    }
}
