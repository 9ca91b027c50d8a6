package dev.sluice.buffer;

import dev.sluice.buffer.store.BatchCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue's meters, tagged {@code queue=<name>} (in Prometheus: {@code sluice_buffer_…}):
 * <ul>
 *   <li>gauges {@code sluice.buffer.batches} and {@code sluice.buffer.items}: stored, not yet
 *       processed (any state), refreshed every metrics interval;</li>
 *   <li>counters {@code sluice.buffer.items.pushed}, {@code .flushed} (written to the store),
 *       {@code .processed} (handed to a process call that succeeded, after merging);</li>
 *   <li>counter {@code sluice.buffer.process.errors} and timer {@code sluice.buffer.process.duration}
 *       (every process call, with a percentile histogram).</li>
 * </ul>
 * Removed from the registry when the queue closes. Thread-safe.
 */
final class BufferMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong items = new AtomicLong();
    private final Counter pushed;
    private final Counter flushed;
    private final Counter processed;
    private final Counter errors;
    private final Timer duration;
    private final List<Meter> meters;

    BufferMetrics(MeterRegistry registry, String queue) {
        this.registry = registry;
        Gauge batchesGauge = Gauge.builder("sluice.buffer.batches", batches, AtomicLong::get)
                .description("batches stored and not yet processed").tag("queue", queue).register(registry);
        Gauge itemsGauge = Gauge.builder("sluice.buffer.items", items, AtomicLong::get)
                .description("items stored and not yet processed").tag("queue", queue).register(registry);
        pushed = counter("sluice.buffer.items.pushed", "items pushed", queue);
        flushed = counter("sluice.buffer.items.flushed", "items written to the store", queue);
        processed = counter("sluice.buffer.items.processed", "items processed successfully", queue);
        errors = counter("sluice.buffer.process.errors", "process calls that threw", queue);
        duration = Timer.builder("sluice.buffer.process.duration").description("process call run time")
                .tag("queue", queue).publishPercentileHistogram().register(registry);
        meters = List.of(batchesGauge, itemsGauge, pushed, flushed, processed, errors, duration);
    }

    private Counter counter(String name, String description, String queue) {
        return Counter.builder(name).description(description).tag("queue", queue).register(registry);
    }

    void pushed() {
        pushed.increment();
    }

    void flushed(int n) {
        flushed.increment(n);
    }

    void processed(int n) {
        processed.increment(n);
    }

    void processError() {
        errors.increment();
    }

    void duration(Duration d) {
        duration.record(d);
    }

    void stored(BatchCounts counts) {
        batches.set(counts.batches());
        items.set(counts.items());
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
