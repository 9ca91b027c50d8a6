package dev.sluice.bench.workload;

import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.report.Result;
import dev.sluice.bench.system.QueueSystem;
import java.io.PrintStream;

/** A way of driving a system and measuring it. Implementations are immutable. */
public interface Workload {

    /** {@code drain} or {@code stream}. */
    String name();

    /**
     * Opens {@code system} on {@code db}, runs the workload and returns what was measured. The
     * caller closes the system and the database.
     *
     * @param progress where the one-line progress goes (stderr)
     */
    Result run(QueueSystem system, BenchDatabase db, PrintStream progress) throws Exception;

    /**
     * A short version of this workload, run once per system before it is measured (on a database
     * of its own) so that every system is measured with its code compiled by the JIT and its
     * driver warmed, not just the systems measured later in the run.
     */
    Workload warmUp();
}
