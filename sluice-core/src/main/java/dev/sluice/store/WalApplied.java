package dev.sluice.store;

import java.util.List;
import java.util.Map;

/**
 * What applying a {@link WalBatch} did now. Entries in none of these were applied before (a
 * replay), or, for completions, found their lease lost: nothing was written for them.
 *
 * @param jobEntries entry ids of the jobs inserted now
 * @param activityEntries entry ids of the activities inserted now
 * @param finishStates the state written, by entry id, for the completions applied now (a completion
 *                     missing here was applied before, or its lease was lost)
 */
public record WalApplied(List<Long> jobEntries, List<Long> activityEntries, Map<Long, String> finishStates) {
    public WalApplied {
        jobEntries = List.copyOf(jobEntries);
        activityEntries = List.copyOf(activityEntries);
        finishStates = Map.copyOf(finishStates);
    }

    /** Entries that took effect now. */
    public int count() {
        return jobEntries.size() + activityEntries.size() + finishStates.size();
    }
}
