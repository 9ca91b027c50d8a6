package dev.sluice.runtime;

import dev.sluice.store.JobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the latest progress report of each running attempt until the heartbeat writes them all
 * in one transaction, so a handler reporting in a tight loop costs no round trips. Keyed by
 * attempt, not job: a stale attempt still running here after its job was taken again must not
 * replace the report of the newer one (the store drops the stale report by its fence). Thread-safe.
 */
final class ProgressBuffer {
    private final ConcurrentHashMap<JobAttempt, JobStore.Progress> latest = new ConcurrentHashMap<>();

    void report(JobStore.Progress progress) {
        latest.put(new JobAttempt(progress.jobId(), progress.attempt()), progress);
    }

    /** Takes every report made since the last call. */
    List<JobStore.Progress> drain() {
        List<JobStore.Progress> out = new ArrayList<>();
        for (JobAttempt key : latest.keySet()) {
            JobStore.Progress p = latest.remove(key);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }
}
