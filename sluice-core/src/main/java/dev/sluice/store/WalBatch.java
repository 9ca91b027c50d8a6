package dev.sluice.store;

import java.util.List;

/**
 * Entries of one log to apply in one transaction, by kind.
 *
 * @param logId the log they come from
 * @param jobs buffered enqueues
 * @param activities activity logs
 * @param finishes job completions
 */
public record WalBatch(long logId, List<WalEntry<NewJob>> jobs, List<WalEntry<NewActivity>> activities,
                       List<WalEntry<WalFinish>> finishes) {
    public WalBatch {
        jobs = List.copyOf(jobs);
        activities = List.copyOf(activities);
        finishes = List.copyOf(finishes);
    }

    public int size() {
        return jobs.size() + activities.size() + finishes.size();
    }
}
