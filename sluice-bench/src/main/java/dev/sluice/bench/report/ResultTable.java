package dev.sluice.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The human table of a run: one row per system, measured or skipped, with each system's
 * processing rate as a multiple of the hand-written queue's measured in the same run.
 */
public final class ResultTable {
    private static final String FORMAT = "%-13s %-11s %-7s %8s %7s %12s %12s %9s %9s %9s %9s  %s%n";

    private final List<Result> results = new ArrayList<>();
    private final List<String[]> skipped = new ArrayList<>();

    public void add(Result result) {
        results.add(result);
    }

    /** A system that did not run, with why. */
    public void skip(String system, String reason) {
        skipped.add(new String[] {system, reason});
    }

    public List<Result> results() {
        return List.copyOf(results);
    }

    /** The processing rate of the hand-written queue in this run, if it ran. */
    public Optional<Double> ceiling() {
        return results.stream().filter(r -> r.system().equals("handwritten") && r.processPerS() != null)
                .map(Result::processPerS).findFirst();
    }

    public void print(PrintStream out) {
        out.printf(FORMAT, "system", "store", "workload", "jobs", "workers", "insert/s", "process/s",
                "p50 ms", "p95 ms", "p99 ms", "vs ceil", "");
        Optional<Double> ceiling = ceiling();
        for (Result r : results) {
            String ratio = ceiling.isPresent() && r.processPerS() != null
                    ? String.format("%.2fx", r.processPerS() / ceiling.get()) : "-";
            out.printf(FORMAT, r.system(), r.store(), r.workload(), r.jobs(), r.workers(), fixed(r.insertPerS(), 0),
                    fixed(r.processPerS(), 0), fixed(r.p50Ms(), 2), fixed(r.p95Ms(), 2), fixed(r.p99Ms(), 2), ratio,
                    r.note() == null ? "" : r.note());
        }
        for (String[] s : skipped) {
            out.printf("%-13s %s%n", s[0], s[1]);
        }
    }

    private static String fixed(Double v, int decimals) {
        return v == null ? "-" : String.format("%." + decimals + "f", v);
    }
}
