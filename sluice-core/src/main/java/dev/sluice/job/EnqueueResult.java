package dev.sluice.job;

import java.util.List;

/**
 * What an enqueue did.
 *
 * @param id the job that stands for the request: the new job, or with
 *           {@link KeyPolicy.KeepExisting} the waiting job that was kept
 * @param inserted false when the request was dropped in favour of an existing job
 * @param superseded jobs of the same key that the new job replaced
 */
public record EnqueueResult(long id, boolean inserted, List<Long> superseded) {
    public EnqueueResult {
        superseded = List.copyOf(superseded);
    }
}
