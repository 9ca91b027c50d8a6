package dev.sluice.bench.workload;

import dev.sluice.Sluice;
import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.db.ServerBase;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The streams workload: {@code streams × perStream} jobs, each stream's jobs to run one at a time
 * in enqueue order, against the same number of plain jobs, both on Sluice, each in a fresh
 * database. Every run's start and end are recorded, and from them it counts overlaps (pairs of
 * jobs of one stream that ran at the same time) and out-of-order starts (a job that started
 * before an earlier job of its stream). Prints a table and one JSON line per run.
 *
 * @param streams number of streams
 * @param perStream jobs per stream
 * @param workers jobs run at once
 */
public record StreamsBenchmark(int streams, int perStream, int workers) {
    private static final String KIND = "bench.step";

    /** A job's place: its stream and its position in it. */
    public record Step(int stream, int seq) {
    }

    /**
     * What one run measured.
     *
     * @param workload "streams" or "drain"
     * @param jobs jobs processed
     * @param processPerSecond jobs per second from starting the node to the last completion
     * @param overlaps pairs of jobs of one stream that ran at the same time
     * @param outOfOrder jobs that started before an earlier job of their stream
     */
    public record Measured(String workload, int jobs, double processPerSecond, long overlaps, long outOfOrder) {
        String json(String store, int workers) {
            return String.format(Locale.ROOT, "{\"system\":\"sluice\",\"store\":\"%s\",\"workload\":\"%s\",\"jobs\":%d,"
                    + "\"workers\":%d,\"process_per_s\":%.1f,\"overlaps\":%d,\"out_of_order\":%d}",
                    store, workload, jobs, workers, processPerSecond, overlaps, outOfOrder);
        }
    }

    public StreamsBenchmark {
        if (streams < 1 || perStream < 1 || workers < 1) {
            throw new IllegalArgumentException("streams, jobs per stream and workers must be at least 1, got "
                    + streams + ", " + perStream + ", " + workers);
        }
    }

    /** Runs both workloads and prints the results; returns the measurements (streams first). */
    public List<Measured> run(ServerBase base, PrintStream out, PrintStream progress) throws Exception {
        List<Measured> results = new ArrayList<>();
        results.add(measure(base, true, progress));
        results.add(measure(base, false, progress));
        String store = base.store().label();
        out.printf("%-8s %-10s %8s %8s %14s %9s %13s%n", "system", "workload", "jobs", "workers", "process/s",
                "overlaps", "out_of_order");
        for (Measured m : results) {
            out.printf(Locale.ROOT, "%-8s %-10s %8d %8d %14.1f %9d %13d%n", "sluice", m.workload(), m.jobs(), workers,
                    m.processPerSecond(), m.overlaps(), m.outOfOrder());
        }
        out.printf(Locale.ROOT, "streams / plain jobs: %.2f×%n", results.get(0).processPerSecond()
                / results.get(1).processPerSecond());
        for (Measured m : results) {
            out.println(m.json(store, workers));
        }
        return results;
    }

    private Measured measure(ServerBase base, boolean withStreams, PrintStream progress) throws Exception {
        int jobs = streams * perStream;
        String workload = withStreams ? "streams" : "drain";
        // Starts and ends per job, indexed by stream * perStream + seq.
        AtomicLongArray starts = new AtomicLongArray(jobs);
        AtomicLongArray ends = new AtomicLongArray(jobs);
        AtomicLong done = new AtomicLong();
        // Runs in progress per stream: a start that finds another one running is an overlap, however
        // short the jobs (recorded intervals of no-op jobs are too short to catch every overlap).
        AtomicIntegerArray active = new AtomicIntegerArray(streams);
        AtomicLong concurrentStarts = new AtomicLong();
        try (BenchDatabase db = BenchDatabase.create(base, workload);
             Sluice sluice = Sluice.builder()
                     .jdbcUrl(db.url(), db.user(), db.password())
                     .poolSize(workers + 4)
                     .queue(JobRequest.DEFAULT_QUEUE, workers)
                     .prefetch(100 * workers)
                     .fetchBatchSize(400)
                     .completionWriters(Integer.getInteger("sluice.bench.completionWriters", 0))
                     .handler(KIND, Step.class, (step, ctx) -> {
                         int i = step.stream() * perStream + step.seq();
                         starts.set(i, System.nanoTime());
                         if (withStreams && active.incrementAndGet(step.stream()) > 1) {
                             concurrentStarts.incrementAndGet();
                         }
                         Thread.onSpinWait();
                         if (withStreams) {
                             active.decrementAndGet(step.stream());
                         }
                         ends.set(i, System.nanoTime());
                         done.incrementAndGet();
                         return JobOutcome.success();
                     })
                     .build()) {
            List<JobRequest> chunk = new ArrayList<>();
            try (Progress p = Progress.show(progress, workload + ": insert", () -> 0, jobs)) {
                // Round-robin over streams, as producers of many streams would enqueue.
                for (int seq = 0; seq < perStream; seq++) {
                    for (int s = 0; s < streams; s++) {
                        JobRequest r = JobRequest.of(KIND, new Step(s, seq));
                        chunk.add(withStreams ? r.stream("stream-" + s) : r);
                        if (chunk.size() == DrainWorkload.CHUNK) {
                            sluice.enqueueAll(chunk);
                            chunk.clear();
                        }
                    }
                }
                if (!chunk.isEmpty()) {
                    sluice.enqueueAll(chunk);
                }
            }
            long start = System.nanoTime();
            try (Progress p = Progress.show(progress, workload + ": process", done::get, jobs)) {
                sluice.start();
                while (done.get() < jobs) {
                    TimeUnit.MILLISECONDS.sleep(5);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long[] counts = withStreams ? countViolations(starts, ends) : new long[] {0, 0};
            return new Measured(workload, jobs, jobs / seconds, Math.max(counts[0], concurrentStarts.get()), counts[1]);
        }
    }

    /** Overlaps and out-of-order starts, stream by stream, from recorded times. */
    long[] countViolations(AtomicLongArray starts, AtomicLongArray ends) {
        long overlaps = 0;
        long outOfOrder = 0;
        for (int s = 0; s < streams; s++) {
            Integer[] bySeq = new Integer[perStream];
            for (int q = 0; q < perStream; q++) {
                bySeq[q] = q;
            }
            int base = s * perStream;
            Integer[] byStart = bySeq.clone();
            Arrays.sort(byStart, (a, b) -> Long.compare(starts.get(base + a), starts.get(base + b)));
            for (int k = 1; k < perStream; k++) {
                int prev = byStart[k - 1];
                int cur = byStart[k];
                if (starts.get(base + cur) < ends.get(base + prev)) {
                    overlaps++;
                }
                if (cur < prev) {
                    outOfOrder++;
                }
            }
        }
        return new long[] {overlaps, outOfOrder};
    }
}
