package dev.sluice.buffer.store;

import java.time.Duration;

/**
 * Hands a taken batch back to the store after an attempt that did not succeed. Immutable.
 *
 * @param id the batch
 * @param state {@link BatchState#READY} to be taken again, or {@link BatchState#FAILED}
 * @param attempts the batch's failed attempts from now on
 * @param delay how long until any worker may take it again; null parks a failed batch until it
 *        is retried by hand
 * @param error the message of this attempt's failure, or null to keep the previous one
 */
public record BatchReturn(long id, BatchState state, int attempts, Duration delay, String error) {
    public BatchReturn {
        if (state == null || state == BatchState.TAKEN) {
            throw new IllegalArgumentException("state must be READY or FAILED, got " + state);
        }
        if (delay == null && state != BatchState.FAILED) {
            throw new IllegalArgumentException("only a FAILED batch may be parked without a delay");
        }
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
    }

    /** Ready again at once, its attempts unchanged: the attempt was interrupted by a shutdown. */
    public static BatchReturn handBack(StoredBatch batch) {
        return new BatchReturn(batch.id(), BatchState.READY, batch.attempts(), Duration.ZERO, null);
    }
}
