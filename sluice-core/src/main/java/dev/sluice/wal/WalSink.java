package dev.sluice.wal;

import java.util.List;

/**
 * Where flushed records go: the database. Called by the log's flush workers, several at once
 * with disjoint records. Implementations must be idempotent per entry: records may be offered
 * again after a crash or a failed commit whose outcome was unknown, and each entry must take
 * effect at most once (Sluice's sink records the ranges of entry ids it applied in a guard table
 * in the same transaction as the effect).
 */
public interface WalSink {

    /**
     * Writes several batches in one transaction, each entry at most once ever. A batch holds at
     * most {@link WalConfig#batchSize()} consecutive records: the most to write with one database
     * statement, unless the sink has a cheaper way for more (PostgreSQL copies the activity logs
     * of all the batches with COPY). Throwing means nothing was written (or that the outcome is
     * unknown): the log retries them all.
     *
     * @param logId the id of the log the records come from
     * @param batches the batches, each and all together in entry id order
     * @return how many records took effect now (the others were already in the database)
     */
    int apply(long logId, List<List<WalRecord>> batches) throws Exception;

    /**
     * Every entry up to {@code throughEntryId} is in the database and the log's checkpoint says
     * so durably: the sink may forget what it keeps to recognise those entries. Failures are
     * logged and the call is repeated later.
     */
    default void forget(long logId, long throughEntryId) throws Exception {
    }
}
