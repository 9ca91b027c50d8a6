package dev.sluice.buffer.store;

import java.time.Duration;
import java.util.List;

/**
 * Storage of encoded batches for buffered queues: no logic, one method per statement, each named
 * entity-first like its {@code -- name:} in the dialect's {@code buffer.sql}. Many queues (by
 * name) and many processes may share one store; a take hands each batch to exactly one owner
 * until that owner deletes or returns it, or its lease runs out. Every write by an owner is
 * fenced on that owner, so one whose lease expired and whose batch another took changes nothing.
 *
 * <p>Implementations are thread-safe. Failures are thrown as unchecked exceptions naming the
 * statement.
 */
public interface BatchStore extends AutoCloseable {

    /** Stores one batch, ready at once; returns its id. */
    long batchInsert(String queue, int priority, byte[] payload, int items);

    /**
     * Takes up to {@code limit} due batches of {@code queue} for {@code owner}, highest priority
     * first, then oldest first, leasing them for {@code lease}. Returned in that order. A failed
     * batch whose cool-down ended comes back with its attempts reset to zero.
     */
    List<StoredBatch> batchTake(String queue, String owner, int limit, Duration lease);

    /** Deletes processed batches that {@code owner} still holds; returns how many. */
    int batchDelete(String owner, List<Long> ids);

    /** Hands batches that {@code owner} still holds back as ready or failed; returns how many. */
    int batchReturn(String owner, List<BatchReturn> returns);

    /** Extends every lease {@code owner} holds to {@code lease} from now; returns how many. */
    int batchRenewLeases(String owner, Duration lease);

    /** Makes every batch {@code owner} still holds ready at once, attempts unchanged. */
    int batchReleaseOwned(String owner);

    /** Counts the batches and items of {@code queue}. */
    BatchCounts batchCountByState(String queue);

    /** Lists batches of {@code queue} in take order, of one state or (null) all. */
    List<StoredBatch> batchList(String queue, BatchState state, int limit);

    /**
     * Makes failed batches of {@code queue} ready at once with a fresh round of attempts: the one
     * with {@code id}, or every one when {@code id} is null. Returns how many.
     */
    int batchRetryFailed(String queue, Long id);

    /** Deletes one failed batch of {@code queue}; false when there is no such failed batch. */
    boolean batchDeleteFailed(String queue, long id);

    /** Releases what this store opened (its own pool or file); never the caller's pool. */
    @Override
    void close();
}
