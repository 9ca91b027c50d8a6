package dev.sluice.bench.workload;

import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.report.Result;
import dev.sluice.bench.system.BenchPayload;
import dev.sluice.bench.system.Probe;
import dev.sluice.bench.system.QueueSystem;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady producer: {@code workers} run while one thread enqueues {@code rate} single jobs per
 * second for {@code seconds} (fewer if one enqueue takes longer than 1/rate s), each stamped with
 * {@link System#nanoTime()} just before its enqueue call. Measures the jobs run per second during that window and the enqueue-to-start latency of
 * every job (the handler compares the stamp with its own start). After the window, jobs still
 * waiting get up to {@code settle} to start; any that do not are named in the note and left out
 * of the percentiles.
 *
 * @param rate jobs enqueued per second
 * @param seconds length of the window
 * @param workers jobs run at once
 * @param settle how long to wait after the window for the last jobs to start
 */
public record StreamWorkload(int rate, int seconds, int workers, Duration settle) implements Workload {
    private static final Duration WARM_UP = Duration.ofSeconds(1);

    public StreamWorkload {
        if (rate < 1 || seconds < 1 || workers < 1) {
            throw new IllegalArgumentException("rate, seconds and workers must be at least 1, got "
                    + rate + ", " + seconds + " and " + workers);
        }
    }

    @Override
    public String name() {
        return "stream";
    }

    @Override
    public Workload warmUp() {
        return new StreamWorkload(rate, Math.min(seconds, 3), workers, settle);
    }

    @Override
    public Result run(QueueSystem system, BenchDatabase db, PrintStream progress) throws Exception {
        Probe probe = new Probe();
        system.open(db, workers, probe);
        system.startWorkers();
        // Let the workers' first polls and connection set-up happen outside the window.
        TimeUnit.NANOSECONDS.sleep(WARM_UP.toNanos());

        probe.recordLatencies(true);
        AtomicLong enqueued = new AtomicLong();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long runsAtStart = probe.runs();
        try (Progress p = Progress.show(progress, system.name() + ": stream, jobs run", probe::runs, 0)) {
            for (long i = 0; ; i++) {
                long due = start + i * interval;
                // A producer that falls behind does not catch up after the window: the rate it
                // achieved is part of the result.
                if (due >= end || System.nanoTime() >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                system.enqueueOne(new BenchPayload(System.nanoTime()));
                enqueued.incrementAndGet();
            }
        }
        long windowEnd = Math.max(System.nanoTime(), end);
        long runsInWindow = probe.runs() - runsAtStart;
        double windowSeconds = (windowEnd - start) / 1e9;

        long deadline = System.nanoTime() + settle.toNanos();
        while (probe.runs() - runsAtStart < enqueued.get() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        probe.recordLatencies(false);
        long[] latencies = probe.sortedLatencies();
        long missing = enqueued.get() - latencies.length;
        String note = missing > 0
                ? missing + " job(s) had not started " + settle.toSeconds() + " s after the window; not in the percentiles"
                : null;
        return new Result(system.name(), db.store().label(), name(), enqueued.get(), workers,
                enqueued.get() / windowSeconds, runsInWindow / windowSeconds,
                percentileMs(latencies, 50), percentileMs(latencies, 95), percentileMs(latencies, 99), note);
    }

    /** Nearest-rank percentile of sorted nanosecond values, in milliseconds; null when empty. */
    static Double percentileMs(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            return null;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))] / 1e6;
    }
}
