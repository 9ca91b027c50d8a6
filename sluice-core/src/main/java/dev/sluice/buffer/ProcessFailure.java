package dev.sluice.buffer;

import java.util.List;

/**
 * A {@link BatchProcessor} call that threw, as given to the process error handler. Immutable.
 *
 * @param queue the queue's name
 * @param error what the processor threw
 * @param batchIds the stored batches whose items it was given
 * @param attempt the number of this attempt (the highest among the batches)
 * @param parked true when at least one batch had no attempts left and is now {@code FAILED}
 */
public record ProcessFailure(String queue, Throwable error, List<Long> batchIds, int attempt, boolean parked) {
    public ProcessFailure {
        batchIds = List.copyOf(batchIds);
    }
}
