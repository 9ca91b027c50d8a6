package dev.sluice.runtime;

import dev.sluice.store.JobStore;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the latest progress report of each running job until the heartbeat writes them all in
 * one transaction, so a handler reporting in a tight loop costs no round trips. Thread-safe.
 */
final class ProgressBuffer {
    private final ConcurrentHashMap<Long, JobStore.Progress> latest = new ConcurrentHashMap<>();

    void report(long jobId, JobStore.Progress progress) {
        latest.put(jobId, progress);
    }

    /** Takes every report made since the last call. */
    Map<Long, JobStore.Progress> drain() {
        Map<Long, JobStore.Progress> out = new HashMap<>();
        for (Long id : latest.keySet()) {
            JobStore.Progress p = latest.remove(id);
            if (p != null) {
                out.put(id, p);
            }
        }
        return out;
    }
}
