package dev.sluice.bench;

import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.db.ServerBase;
import dev.sluice.bench.report.Result;
import dev.sluice.bench.report.ResultTable;
import dev.sluice.bench.system.DbSchedulerSystem;
import dev.sluice.bench.system.HandWrittenQueue;
import dev.sluice.bench.system.JobRunrSystem;
import dev.sluice.bench.system.QueueSystem;
import dev.sluice.bench.system.SluiceSystem;
import dev.sluice.bench.workload.Workload;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs one workload on one store for Sluice and, when asked, each baseline in turn, every
 * system on a fresh database of its own that is dropped afterwards. A baseline that cannot run
 * on the store is listed as skipped with the reason; one that fails is listed as failed and the
 * run goes on. Not thread-safe; one per run.
 */
public final class BenchRunner {
    private final ServerBase base;
    private final Workload workload;
    private final List<String> systems;
    private final int warmUps;
    private final int runs;
    private final PrintStream progress;
    /** The longest one system's warm-up rounds go on before the next one starts. */
    static final Duration WARM_UP_BUDGET = Duration.ofSeconds(60);

    /**
     * @param systems the names of the systems to measure, in order (see {@link #systems(boolean)})
     * @param warmUps how many times each system first runs {@link Workload#warmUp()}, each time on a
     *     throw-away database; a round that does not finish in time ends the warm-up of that system
     * @param runs timed runs per system, each on a fresh database; the result is their median
     */
    public BenchRunner(ServerBase base, Workload workload, List<String> systems, int warmUps, int runs,
                       PrintStream progress) {
        this.base = base;
        this.workload = workload;
        this.systems = List.copyOf(systems);
        if (warmUps < 0) {
            throw new IllegalArgumentException("warm-ups must not be negative, got " + warmUps);
        }
        this.warmUps = warmUps;
        if (runs < 1) {
            throw new IllegalArgumentException("timed runs must be at least 1, got " + runs);
        }
        this.runs = runs;
        this.progress = progress;
    }

    /**
     * Sluice, then with {@code baselines} the hand-written queue, db-scheduler (tuned) and JobRunr.
     * {@code db-scheduler-default} (its default polling) is measured only when named.
     */
    public static List<String> systems(boolean baselines) {
        return baselines ? List.of("sluice", "handwritten", "db-scheduler", "jobrunr") : List.of("sluice");
    }

    private static Supplier<QueueSystem> factory(String name) {
        return switch (name) {
            case "sluice" -> SluiceSystem::new;
            case "handwritten" -> HandWrittenQueue::new;
            case "db-scheduler" -> DbSchedulerSystem::new;
            case "db-scheduler-default" -> () -> new DbSchedulerSystem(DbSchedulerSystem.Polling.FETCH_AND_LOCK_ON_EXECUTE);
            case "jobrunr" -> JobRunrSystem::new;
            default -> throw new IllegalArgumentException("unknown system '" + name
                    + "': use sluice, handwritten, db-scheduler, db-scheduler-default or jobrunr");
        };
    }

    /** Runs every system; the table holds each result, skip and failure. */
    public ResultTable run() {
        ResultTable table = new ResultTable();
        try {
            for (String name : systems) {
                QueueSystem system = factory(name).get();
                Optional<String> unsupported = system.unsupported(base.store());
                if (unsupported.isPresent()) {
                    progress.println("  " + system.name() + ": skipped: " + unsupported.get());
                    table.skip(system.name(), "skipped: " + unsupported.get());
                    continue;
                }
                try {
                    warmUp(name);
                    table.add(timed(name, system));
                } catch (Exception e) {
                    progress.println();
                    progress.println("  " + system.name() + ": failed: " + e);
                    table.skip(system.name(), "failed: " + oneLine(e));
                }
            }
        } finally {
            base.deleteOwnedFolder();
        }
        return table;
    }

    /**
     * The JIT keeps compiling for longer than a few rounds: in rounds of 20,000 jobs on PostgreSQL,
     * Sluice's JVM spent 1,350 ms of CPU in the first, 430 ms in the fourth and 130-180 ms from
     * the ninth on (while PostgreSQL spent 360-420 ms in every round): the JIT compiled about 200
     * methods in the fourth round and about 10 in the tenth. On two cores that CPU is taken from
     * the database. Eight rounds
     * come close to a long-running node. A system whose rounds are slow (JobRunr, db-scheduler)
     * stops warming up once its warm-up has taken {@link #WARM_UP_BUDGET}; every system gets the
     * same rounds and the same budget.
     */
    private void warmUp(String name) throws Exception {
        long deadline = System.nanoTime() + WARM_UP_BUDGET.toNanos();
        for (int round = 1; round <= warmUps; round++) {
            progress.println("  " + name + ": warm-up " + round + " of " + warmUps);
            Result r = runOne(factory(name).get(), workload.warmUp());
            if (r.note() != null) {
                progress.println("  " + name + ": warm-up ends early: " + r.note());
                return;
            }
            if (System.nanoTime() > deadline && round < warmUps) {
                progress.println("  " + name + ": warm-up ends after " + round + " rounds (" + WARM_UP_BUDGET.toSeconds()
                        + " s budget)");
                return;
            }
        }
    }

    /**
     * The median of {@link #runs} timed runs. One drain of 20,000 jobs lasts under half a second
     * for the fast systems, and runs of the same code on this machine differed by up to a third
     * (a checkpoint, autovacuum, the other process's work); each run is printed as it ends.
     */
    private Result timed(String name, QueueSystem first) throws Exception {
        List<Result> results = new ArrayList<>(runs);
        for (int run = 1; run <= runs; run++) {
            Result r = runOne(run == 1 ? first : factory(name).get(), workload);
            if (runs > 1) {
                progress.printf(Locale.ROOT, "  %s: timed run %d of %d: %s%n", name, run, runs, r.toJsonLine());
            }
            results.add(r);
        }
        return Result.median(results);
    }

    private Result runOne(QueueSystem system, Workload w) throws Exception {
        try (BenchDatabase db = BenchDatabase.create(base, system.name())) {
            try {
                return w.run(system, db, progress);
            } finally {
                system.close();
            }
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
