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
import java.util.List;
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
    private final PrintStream progress;

    /**
     * @param systems the names of the systems to measure, in order (see {@link #systems(boolean)})
     * @param warmUps how many times each system first runs {@link Workload#warmUp()}, each time on a
     *     throw-away database; a round that does not finish in time ends the warm-up of that system
     */
    public BenchRunner(ServerBase base, Workload workload, List<String> systems, int warmUps,
                       PrintStream progress) {
        this.base = base;
        this.workload = workload;
        this.systems = List.copyOf(systems);
        if (warmUps < 0) {
            throw new IllegalArgumentException("warm-ups must not be negative, got " + warmUps);
        }
        this.warmUps = warmUps;
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
                    table.add(runOne(system, workload));
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
     * One warm-up round was not enough: with a single run of 20,000 jobs, Sluice's next drain on
     * PostgreSQL was 20-22k jobs/s against 27-28k/s after three, the JIT still compiling its
     * larger paths while the clock ran (the hand-written queue's few methods were compiled after one).
     */
    private void warmUp(String name) throws Exception {
        for (int round = 1; round <= warmUps; round++) {
            progress.println("  " + name + ": warm-up " + round + " of " + warmUps);
            Result r = runOne(factory(name).get(), workload.warmUp());
            if (r.note() != null) {
                progress.println("  " + name + ": warm-up ends early: " + r.note());
                return;
            }
        }
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
