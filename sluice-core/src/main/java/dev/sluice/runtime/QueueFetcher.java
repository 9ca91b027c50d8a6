package dev.sluice.runtime;

import dev.sluice.job.Job;
import dev.sluice.job.RateLimit;
import dev.sluice.store.FetchParams;
import dev.sluice.store.JobStore;
import dev.sluice.store.RateWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How one queue is fetched: in one claim for all its kinds when nothing is rate limited;
 * otherwise the kinds without a limit of their own in one claim and each rate-limited kind in a
 * claim of its own, each counted against its windows (the queue's, the kind's). Immutable.
 */
final class QueueFetcher {
    private final String queue;
    private final List<String> allKinds;
    private final List<String> freeKinds;
    private final RateWindow queueWindow;
    private final Map<String, RateWindow> kindWindows = new LinkedHashMap<>();

    QueueFetcher(String queue, List<String> kinds, List<RateLimit> limits) {
        this.queue = queue;
        this.allKinds = List.copyOf(kinds);
        RateWindow q = null;
        for (RateLimit limit : limits) {
            RateWindow w = new RateWindow(limit.counterName(), limit.max(), limit.period().toMillis());
            if (limit.scope().equals("queue") && limit.name().equals(queue)) {
                q = w;
            } else if (limit.scope().equals("kind") && kinds.contains(limit.name())) {
                kindWindows.put(limit.name(), w);
            }
        }
        this.queueWindow = q;
        this.freeKinds = kinds.stream().filter(k -> !kindWindows.containsKey(k)).toList();
    }

    List<String> kinds() {
        return allKinds;
    }

    /** Kinds whose jobs may start here without passing a rate limit: none when the queue has one. */
    List<String> unlimitedKinds() {
        return queueWindow == null ? freeKinds : List.of();
    }

    List<Job> fetch(JobStore store, int limit, String owner, long leaseMillis) {
        if (queueWindow == null && kindWindows.isEmpty()) {
            return store.jobFetchAvailable(new FetchParams(queue, allKinds, limit, owner, leaseMillis));
        }
        List<Job> out = new ArrayList<>();
        if (!freeKinds.isEmpty()) {
            out.addAll(claim(store, freeKinds, limit, owner, leaseMillis, windows(null)));
        }
        for (Map.Entry<String, RateWindow> e : kindWindows.entrySet()) {
            int left = limit - out.size();
            if (left <= 0) {
                break;
            }
            out.addAll(claim(store, List.of(e.getKey()), left, owner, leaseMillis, windows(e.getValue())));
        }
        return out;
    }

    private List<RateWindow> windows(RateWindow kindWindow) {
        List<RateWindow> out = new ArrayList<>(2);
        if (queueWindow != null) {
            out.add(queueWindow);
        }
        if (kindWindow != null) {
            out.add(kindWindow);
        }
        return out;
    }

    private List<Job> claim(JobStore store, List<String> kinds, int limit, String owner, long leaseMillis,
                            List<RateWindow> windows) {
        FetchParams params = new FetchParams(queue, kinds, limit, owner, leaseMillis);
        return windows.isEmpty() ? store.jobFetchAvailable(params) : store.jobFetchAvailableRated(params, windows);
    }
}
