package dev.sluice.buffer;

import java.util.List;

/**
 * Processes the items of one or several stored batches, after they went through the worker's
 * {@link ItemBuffer} (so a merging buffer has already merged them).
 *
 * <p>Returning normally means done: the batches are deleted. Throwing means failed: the batches
 * are retried by the queue's {@link BatchRetryPolicy}, and parked (kept, with their priority)
 * when their attempts are exhausted. Processing is at least once, so make it idempotent.
 *
 * <p>{@code queue} is the queue itself, to push follow-up items; such pushes are accepted even
 * while the queue is closing, as long as they are made on the thread that runs this method. Do
 * not push follow-ups and then throw: the batch runs again and pushes them again.
 *
 * <p>Called on one of the queue's worker threads, concurrently when there are several workers.
 * When the queue closes, a running call gets the queue's shutdown grace to finish, then its
 * thread is interrupted; a call that then throws does not spend an attempt.
 */
@FunctionalInterface
public interface BatchProcessor<T> {

    /**
     * @param batch the items, in take order (highest priority, then oldest batch first); never empty
     * @param queue the queue, for follow-up pushes
     */
    void process(List<T> batch, BufferedQueue<T> queue) throws Exception;
}
