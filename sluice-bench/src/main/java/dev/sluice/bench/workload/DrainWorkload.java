package dev.sluice.bench.workload;

import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.report.Result;
import dev.sluice.bench.system.BenchPayload;
import dev.sluice.bench.system.Probe;
import dev.sluice.bench.system.QueueSystem;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bulk-inserts {@code jobs} no-op jobs with no worker running (in chunks of {@link #CHUNK}),
 * then starts {@code workers} and times until the database records the last job finished. The
 * insert rate is jobs over insert time; the processing rate is jobs over the time from starting
 * the workers (start-up included) to the last completion being visible in the database.
 *
 * @param jobs jobs to insert and process
 * @param workers jobs run at once
 * @param timeout the longest the processing phase may take; past it the rate is of what finished
 */
public record DrainWorkload(int jobs, int workers, Duration timeout) implements Workload {
    /** Jobs per bulk-insert call. */
    public static final int CHUNK = 5_000;
    /**
     * Jobs of the unmeasured warm-up run: as many as a measured run by default, so that the JIT has
     * compiled the per-job paths before the clock starts (with 2,000, Sluice's first 20,000 jobs on
     * SQLite ran about 20 % slower than the next ones). Bounded by {@link #WARM_UP_TIMEOUT} for the
     * slow systems. Override with -Dsluice.bench.warmUpJobs.
     */
    private static final int WARM_UP_JOBS = Integer.getInteger("sluice.bench.warmUpJobs", 20_000);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    public DrainWorkload {
        if (jobs < 1 || workers < 1) {
            throw new IllegalArgumentException("jobs and workers must be at least 1, got " + jobs + " and " + workers);
        }
    }

    @Override
    public String name() {
        return "drain";
    }

    @Override
    public Workload warmUp() {
        return new DrainWorkload(Math.min(jobs, WARM_UP_JOBS), workers,
                timeout.compareTo(WARM_UP_TIMEOUT) < 0 ? timeout : WARM_UP_TIMEOUT);
    }

    @Override
    public Result run(QueueSystem system, BenchDatabase db, PrintStream progress) throws Exception {
        Probe probe = new Probe();
        system.open(db, workers, probe);

        AtomicLong inserted = new AtomicLong();
        long insertStart = System.nanoTime();
        try (Progress p = Progress.show(progress, system.name() + ": insert", inserted::get, jobs)) {
            for (int done = 0; done < jobs; done += CHUNK) {
                int n = Math.min(CHUNK, jobs - done);
                List<BenchPayload> chunk = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    chunk.add(new BenchPayload(System.nanoTime()));
                }
                system.enqueueMany(chunk);
                inserted.addAndGet(n);
            }
        }
        double insertSeconds = (System.nanoTime() - insertStart) / 1e9;

        long processStart = System.nanoTime();
        long deadline = processStart + timeout.toNanos();
        long finished;
        try (Progress p = Progress.show(progress, system.name() + ": process", probe::runs, jobs)) {
            system.startWorkers();
            while (probe.runs() < jobs && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            }
            // Every handler ran; the jobs count once the database says they finished.
            while ((finished = system.completed()) < jobs && System.nanoTime() < deadline) {
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            }
        }
        double processSeconds = (System.nanoTime() - processStart) / 1e9;
        String note = finished < jobs
                ? "timed out after " + timeout.toSeconds() + " s: " + finished + " of " + jobs + " finished"
                : null;
        return new Result(system.name(), db.store().label(), name(), jobs, workers, jobs / insertSeconds,
                finished / processSeconds, null, null, null, note);
    }
}
