package dev.sluice.store;

import java.util.List;

/**
 * At most a flush batch size of consecutive entries of one log, by kind: written with one
 * statement per kind (several batches share a transaction, see {@link WalFlush}).
 *
 * @param jobs buffered enqueues
 * @param activities activity logs
 * @param finishes job completions
 */
public record WalBatch(List<WalEntry<NewJob>> jobs, List<WalEntry<NewActivity>> activities,
                       List<WalEntry<WalFinish>> finishes) {
    public WalBatch {
        jobs = List.copyOf(jobs);
        activities = List.copyOf(activities);
        finishes = List.copyOf(finishes);
    }

    /** The same batch without the entries {@code keep} refuses. */
    public WalBatch only(java.util.function.LongPredicate keep) {
        return new WalBatch(jobs.stream().filter(e -> keep.test(e.entryId())).toList(),
                activities.stream().filter(e -> keep.test(e.entryId())).toList(),
                finishes.stream().filter(e -> keep.test(e.entryId())).toList());
    }

    public int size() {
        return jobs.size() + activities.size() + finishes.size();
    }
}
