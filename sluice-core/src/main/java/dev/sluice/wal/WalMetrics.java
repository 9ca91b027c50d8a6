package dev.sluice.wal;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Registers the log's meters, all named {@code sluice.wal.*} and tagged with the log directory:
 * <ul>
 *   <li>counters {@code entries.buffered}, {@code entries.flushed}, {@code entries.duplicates},
 *       {@code flush.operations}, {@code flush.failures}, {@code fsyncs},
 *       {@code backpressure.rejections}, {@code corrupt.records}</li>
 *   <li>gauges {@code flush.time.avg} and {@code flush.time.p99} (milliseconds),
 *       {@code flush.lag.entries}, {@code flush.lag.seconds}, {@code segments},
 *       {@code records.per.fsync}, {@code healthy} (1 or 0)</li>
 * </ul>
 * They read the log's own counters when scraped, so they cost nothing on the append path. Removed
 * again on close. Thread-safe.
 */
final class WalMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    /**
     * Micrometer holds the objects behind function counters weakly; these suppliers are lambdas
     * nothing else holds, so they are kept here (or the meters would read NaN once collected).
     */
    private final List<Object> held = new ArrayList<>();

    WalMetrics(MeterRegistry registry, String directory, WalCounters c, Supplier<WalStats> stats,
               Supplier<WalHealth> health) {
        this.registry = registry;
        Tags tags = Tags.of("wal", directory);
        counter("sluice.wal.entries.buffered", "records appended", tags, () -> c.appended.sum());
        counter("sluice.wal.entries.flushed", "records written to the database", tags, () -> c.flushed.get());
        counter("sluice.wal.entries.duplicates", "replayed records the database already had", tags,
                () -> c.duplicatesSkipped.get());
        counter("sluice.wal.flush.operations", "batches written to the database", tags, () -> c.flushOperations.get());
        counter("sluice.wal.flush.failures", "failed batch writes", tags, () -> c.flushFailures.get());
        counter("sluice.wal.fsyncs", "group commits (fsync rounds)", tags, () -> c.fsyncs.get());
        counter("sluice.wal.backpressure.rejections", "appends refused: backlog full", tags,
                () -> c.backpressureRejections.get());
        counter("sluice.wal.corrupt.records", "damaged stretches moved aside", tags, () -> c.corruptRecords.get());
        gauge("sluice.wal.flush.time.avg", "mean batch write time, ms", tags, c::averageFlushMillis);
        gauge("sluice.wal.flush.time.p99", "99th percentile batch write time, ms", tags, c::p99FlushMillis);
        gauge("sluice.wal.flush.lag.entries", "records on disk not yet in the database", tags,
                () -> stats.get().lagEntries());
        gauge("sluice.wal.flush.lag.seconds", "age of the oldest record not yet in the database", tags,
                () -> stats.get().lagSeconds());
        gauge("sluice.wal.segments", "segment files on disk", tags, () -> stats.get().segments());
        gauge("sluice.wal.records.per.fsync", "records per group commit", tags, () -> stats.get().recordsPerFsync());
        gauge("sluice.wal.healthy", "1 while appending and flushing work", tags, () -> health.get().isHealthy() ? 1 : 0);
    }

    private void counter(String name, String description, Tags tags, Supplier<Number> value) {
        held.add(value);
        meters.add(FunctionCounter.builder(name, value, v -> v.get().doubleValue())
                .description(description).tags(tags).register(registry));
    }

    private void gauge(String name, String description, Tags tags, Supplier<Number> value) {
        meters.add(Gauge.builder(name, value, v -> v.get().doubleValue()).strongReference(true)
                .description(description).tags(tags).register(registry));
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
