package dev.sluice.buffer.store;

/**
 * Batches and items in a store for one queue, by state. Immutable.
 *
 * @param readyBatches batches waiting (including those waiting out a retry delay)
 * @param takenBatches batches a worker holds
 * @param failedBatches batches whose attempts are exhausted
 * @param readyItems items in ready batches
 * @param takenItems items in taken batches
 * @param failedItems items in failed batches
 */
public record BatchCounts(long readyBatches, long takenBatches, long failedBatches,
                          long readyItems, long takenItems, long failedItems) {

    public static final BatchCounts EMPTY = new BatchCounts(0, 0, 0, 0, 0, 0);

    /** Every stored batch, whatever its state. */
    public long batches() {
        return readyBatches + takenBatches + failedBatches;
    }

    /** Every stored item, whatever its batch's state. */
    public long items() {
        return readyItems + takenItems + failedItems;
    }
}
