package dev.sluice.wal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The log's own counts, kept whether or not meters are registered (the health, stats, the CLI
 * and the benchmark read them). Thread-safe.
 */
final class WalCounters {
    final LongAdder appended = new LongAdder();
    final AtomicLong fsyncs = new AtomicLong();
    final AtomicLong syncedRecords = new AtomicLong();
    final AtomicLong flushed = new AtomicLong();
    final AtomicLong duplicatesSkipped = new AtomicLong();
    final AtomicLong flushOperations = new AtomicLong();
    final AtomicLong flushFailures = new AtomicLong();
    final AtomicLong flushNanosTotal = new AtomicLong();
    final AtomicLong backpressureRejections = new AtomicLong();
    final AtomicLong corruptRecords = new AtomicLong();
    private final long[] recentFlushNanos = new long[1024];
    private int recentCount;
    private int recentNext;

    synchronized void flushTook(long nanos) {
        recentFlushNanos[recentNext] = nanos;
        recentNext = (recentNext + 1) % recentFlushNanos.length;
        recentCount = Math.min(recentCount + 1, recentFlushNanos.length);
        flushNanosTotal.addAndGet(nanos);
        flushOperations.incrementAndGet();
    }

    /** The 99th percentile of the last 1,024 flush times, in milliseconds; 0 before any. */
    synchronized double p99FlushMillis() {
        if (recentCount == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(recentFlushNanos, recentCount);
        Arrays.sort(copy);
        int index = (int) Math.ceil(0.99 * recentCount) - 1;
        return copy[Math.max(0, index)] / 1e6;
    }

    double averageFlushMillis() {
        long ops = flushOperations.get();
        return ops == 0 ? 0 : flushNanosTotal.get() / 1e6 / ops;
    }
}
