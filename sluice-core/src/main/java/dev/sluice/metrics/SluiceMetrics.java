package dev.sluice.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sluice's meters, all named {@code sluice.*} and tagged by {@code queue} (and {@code kind} for
 * per-job meters):
 * <ul>
 *   <li>counters {@code sluice.jobs.enqueued|started|completed|retried|discarded|cancelled|rescued}</li>
 *   <li>gauge {@code sluice.jobs.depth} per queue and state, refreshed every metrics interval</li>
 *   <li>timers {@code sluice.job.duration} (handler run time) and {@code sluice.job.wait}
 *       (from run-at to start), with percentile histograms</li>
 * </ul>
 * Thread-safe.
 */
public final class SluiceMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> depth = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public SluiceMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Counts one event: enqueued, started, completed, retried, discarded, cancelled or rescued. */
    public void count(String event, String queue, String kind) {
        counters.computeIfAbsent(event + '\0' + queue + '\0' + kind, k -> Counter.builder("sluice.jobs." + event)
                .description("jobs " + event)
                .tag("queue", queue).tag("kind", kind)
                .register(registry)).increment();
    }

    /** Records a handler's run time. */
    public void duration(String queue, String kind, Duration d) {
        timer("sluice.job.duration", "handler run time", queue, kind).record(d);
    }

    /** Records the wait between a job becoming due and starting. */
    public void wait(String queue, String kind, Duration d) {
        timer("sluice.job.wait", "time from due to start", queue, kind).record(d.isNegative() ? Duration.ZERO : d);
    }

    private Timer timer(String name, String description, String queue, String kind) {
        return timers.computeIfAbsent(name + '\0' + queue + '\0' + kind, k -> Timer.builder(name)
                .description(description)
                .tag("queue", queue).tag("kind", kind)
                .publishPercentileHistogram()
                .register(registry));
    }

    /** Sets the depth gauge of one queue and state. */
    public void depth(String queue, String state, long count) {
        depth.computeIfAbsent(queue + '\0' + state, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("sluice.jobs.depth", value, AtomicLong::get)
                    .description("jobs per queue and state")
                    .tag("queue", queue).tag("state", state)
                    .register(registry);
            return value;
        }).set(count);
    }

    /** Sets every known depth gauge not in {@code seen} to zero. */
    public void zeroDepthsExcept(java.util.Set<String> seen) {
        depth.forEach((key, value) -> {
            if (!seen.contains(key)) {
                value.set(0);
            }
        });
    }

    /** The key {@link #zeroDepthsExcept} expects for a queue and state. */
    public static String depthKey(String queue, String state) {
        return queue + '\0' + state;
    }
}
