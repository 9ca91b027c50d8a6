package dev.sluice;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one Sluice node, fixed once built. Made by {@link Sluice.Builder}, which
 * checks every value and names the one it rejects.
 *
 * @param nodeId this node's id, unique per process start
 * @param queues queues this node fetches from, with the number of jobs each runs at once
 * @param knownQueues further queues this node may enqueue to without fetching them
 * @param fetchBatchSize the most jobs one fetch claims
 * @param prefetch how many jobs a queue may claim beyond its free slots, to start as slots free
 *                 up; 0 claims only what can start at once
 * @param leaseDuration how long a claimed job stays leased without renewal
 * @param heartbeatInterval how often leases are renewed and cancellations checked
 * @param pollMin the shortest pause between empty fetches
 * @param pollMax the longest pause between empty fetches (waiting grows from pollMin)
 * @param completionBatchSize the most completions written in one statement
 * @param completionMaxDelay the longest a completion waits to be batched with others
 * @param completionWriters threads writing completion batches side by side; 0 picks one on SQLite
 *                          (a single writer anyway) and two on PostgreSQL and MariaDB
 * @param retention how long completed, discarded and cancelled jobs are kept
 * @param maintenanceInterval how often the leader node rescues expired leases and prunes
 * @param shutdownGrace how long {@link Sluice#close()} waits for running jobs before handing them back
 * @param maxPayloadBytes the largest payload accepted at enqueue, in bytes of JSON
 * @param metricsInterval how often queue depth gauges are refreshed
 * @param concurrencyLimits limits of active jobs per stream-name or key prefix (longest prefix wins);
 *                          a keyed job without a stream whose key matches a prefix joins the group
 *                          named by that prefix
 * @param rateLimits rate limits on job starts per queue or kind, shared by all nodes
 */
public record SluiceConfig(
        String nodeId,
        Map<String, Integer> queues,
        Set<String> knownQueues,
        int fetchBatchSize,
        int prefetch,
        Duration leaseDuration,
        Duration heartbeatInterval,
        Duration pollMin,
        Duration pollMax,
        int completionBatchSize,
        Duration completionMaxDelay,
        int completionWriters,
        Duration retention,
        Duration maintenanceInterval,
        Duration shutdownGrace,
        int maxPayloadBytes,
        Duration metricsInterval,
        Map<String, Integer> concurrencyLimits,
        java.util.List<dev.sluice.job.RateLimit> rateLimits) {

    public SluiceConfig {
        queues = Map.copyOf(queues);
        concurrencyLimits = Map.copyOf(concurrencyLimits);
        rateLimits = java.util.List.copyOf(rateLimits);
        concurrencyLimits.forEach((prefix, limit) -> {
            if (limit < 1) {
                throw new IllegalArgumentException("concurrency limit of '" + prefix + "' must be at least 1, got " + limit);
            }
        });
        knownQueues = Set.copyOf(knownQueues);
        requireText("nodeId", nodeId);
        queues.forEach((name, concurrency) -> {
            requireText("queue name", name);
            if (concurrency < 1) {
                throw new IllegalArgumentException("queue '" + name + "' concurrency must be at least 1, got " + concurrency);
            }
        });
        requireAtLeast("fetchBatchSize", fetchBatchSize, 1);
        requireAtLeast("prefetch", prefetch, 0);
        requireAtLeast("completionBatchSize", completionBatchSize, 1);
        requireAtLeast("completionWriters", completionWriters, 0);
        requireAtLeast("maxPayloadBytes", maxPayloadBytes, 1);
        requirePositive("leaseDuration", leaseDuration);
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("pollMin", pollMin);
        requirePositive("pollMax", pollMax);
        requirePositive("completionMaxDelay", completionMaxDelay);
        requirePositive("retention", retention);
        requirePositive("maintenanceInterval", maintenanceInterval);
        requirePositive("metricsInterval", metricsInterval);
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be zero or positive, got " + shutdownGrace);
        }
        if (pollMax.compareTo(pollMin) < 0) {
            throw new IllegalArgumentException("pollMax (" + pollMax + ") must be at least pollMin (" + pollMin + ")");
        }
        if (heartbeatInterval.multipliedBy(2).compareTo(leaseDuration) > 0) {
            throw new IllegalArgumentException("leaseDuration (" + leaseDuration
                    + ") must be at least twice heartbeatInterval (" + heartbeatInterval
                    + "), or leases expire between renewals");
        }
    }

    /** True when jobs may be enqueued to {@code queue} from this node. */
    public boolean isKnownQueue(String queue) {
        return queues.containsKey(queue) || knownQueues.contains(queue);
    }

    /** The configured limit whose prefix is the longest that {@code name} starts with, if any. */
    public java.util.Optional<Map.Entry<String, Integer>> concurrencyLimitFor(String name) {
        return concurrencyLimits.entrySet().stream()
                .filter(e -> name.startsWith(e.getKey()))
                .max(java.util.Comparator.comparingInt(e -> e.getKey().length()));
    }

    private static void requireText(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }

    private static void requireAtLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
        }
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
