package dev.sluice.wal;

import java.util.List;

/**
 * Where flushed records go: the database. Called by the log's flush workers, several at once
 * with disjoint batches. Implementations must be idempotent per entry: a batch may be offered
 * again after a crash or a failed commit whose outcome was unknown, and each entry must take
 * effect at most once (Sluice's sink keeps {@code (log id, entry id)} in a guard table in the
 * same transaction as the effect).
 */
public interface WalSink {

    /**
     * Writes a batch in one transaction, each entry at most once ever. Throwing means nothing of
     * the batch was written (or that the outcome is unknown): the log retries it.
     *
     * @param logId the id of the log the records come from
     * @param records the records in entry id order
     * @return how many records took effect now (the others were already in the database)
     */
    int apply(long logId, List<WalRecord> records) throws Exception;

    /**
     * Every entry up to {@code throughEntryId} is in the database and the log's checkpoint says
     * so durably: the sink may forget what it keeps to recognise those entries. Failures are
     * logged and the call is repeated later.
     */
    default void forget(long logId, long throughEntryId) throws Exception {
    }
}
