package dev.sluice.buffer;

import java.time.Instant;
import java.util.List;

/**
 * A stored batch whose attempts are exhausted, for inspection. Immutable (the items are as decoded).
 *
 * @param id the batch's id in the store, for {@link BufferedQueue#retryFailed(long)} and
 *        {@link BufferedQueue#deleteFailed(long)}
 * @param priority its priority, unchanged by the failures
 * @param attempts failed attempts in its last round
 * @param itemCount how many items it holds
 * @param items its items; empty when they cannot be decoded (then {@code lastError} says why)
 * @param lastError the message of the last failure
 * @param createdAt when it was stored
 * @param retryAt when its cool-down ends and it is taken again, or null when it is parked until
 *        retried by hand
 */
public record FailedBatch<T>(long id, int priority, int attempts, int itemCount, List<T> items, String lastError,
                             Instant createdAt, Instant retryAt) {
    public FailedBatch {
        items = List.copyOf(items);
    }
}
