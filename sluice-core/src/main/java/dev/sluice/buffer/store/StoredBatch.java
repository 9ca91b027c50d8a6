package dev.sluice.buffer.store;

import java.time.Instant;

/**
 * One stored batch as read from a store. The payload is the codec's bytes, handed over as read:
 * callers must not change it. Immutable otherwise, and safe to share between threads.
 *
 * @param id the store's id; higher ids were stored later
 * @param state where the batch stands
 * @param priority higher priorities are taken first; kept through retries and failures
 * @param attempts failed attempts in the current round (reset when a cool-down ends)
 * @param items how many items the payload holds
 * @param payload the encoded items
 * @param createdAt when the batch was stored
 * @param dueAt when any worker may take it (ready), when its lease ends (taken), when its
 *        cool-down ends (failed), or null for a failed batch parked until retried by hand
 * @param lastError the message of the last failed attempt, or null
 */
public record StoredBatch(long id, BatchState state, int priority, int attempts, int items, byte[] payload,
                          Instant createdAt, Instant dueAt, String lastError) {
}
