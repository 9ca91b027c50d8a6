package dev.sluice.bench;

import dev.sluice.bench.db.ServerBase;
import dev.sluice.bench.db.StoreKind;
import dev.sluice.bench.report.RatioChart;
import dev.sluice.bench.report.Result;
import dev.sluice.bench.report.ResultTable;
import dev.sluice.bench.workload.DrainWorkload;
import dev.sluice.bench.workload.StreamWorkload;
import dev.sluice.bench.workload.StreamsBenchmark;
import dev.sluice.bench.workload.Workload;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The benchmark's command line. Prints a human table, then one JSON line per measured system
 * (Sluice first) on stdout; progress goes to stderr. With {@code --chart-only} it measures
 * nothing and draws the chart of JSON lines saved from earlier runs.
 */
@Command(name = "sluice bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measures Sluice, and with --baselines a hand-written SQL queue, db-scheduler and JobRunr, "
                + "on the same database server, each system in a fresh database.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--store", description = "sqlite, postgresql or mariadb")
    String store;

    @Option(names = "--db", description = "JDBC URL of the server (its database is used to create fresh ones); "
            + "for sqlite, a file whose folder holds the files. Defaults: jdbc:postgresql://127.0.0.1:5432/test, "
            + "jdbc:mariadb://127.0.0.1:3306/test, a temporary folder.")
    String db;

    @Option(names = "--user", description = "database user (default postgres / root)")
    String user;

    @Option(names = "--password", description = "database password (default empty)")
    String password;

    @Option(names = "--workload", defaultValue = "drain", description = "drain, stream, streams or wal (default ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--streams", defaultValue = "1000", description = "streams: number of streams (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--jobs-per-stream", defaultValue = "50", description = "streams: jobs per stream (default ${DEFAULT-VALUE})")
    int jobsPerStream;

    @Option(names = "--jobs", defaultValue = "20000", description = "drain: jobs to insert and process (default ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--workers", defaultValue = "8", description = "jobs run at once (default ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--seconds", defaultValue = "10", description = "stream: length of the window (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rate", defaultValue = "500", description = "stream: jobs enqueued per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--baselines", description = "also measure the hand-written queue, db-scheduler and JobRunr")
    boolean baselines;

    @Option(names = "--systems", split = ",", paramLabel = "NAME",
            description = "measure only these, in this order (sluice, handwritten, db-scheduler, db-scheduler-default, jobrunr); "
                    + "overrides --baselines")
    List<String> only;

    @Option(names = "--warm-ups", defaultValue = "8", paramLabel = "N",
            description = "unmeasured runs each system makes first, each on its own database, so that the JIT has "
                    + "compiled its paths before the clock starts; fewer when a system's warm-up passes 60 s "
                    + "(default ${DEFAULT-VALUE})")
    int warmUps;

    @Option(names = "--no-warmup", negatable = false, description = "the same as --warm-ups 0")
    boolean noWarmUp;

    @Option(names = "--runs", defaultValue = "3", paramLabel = "N",
            description = "timed runs per system, each on its own database; each figure reported is their median "
                    + "(default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--timeout", defaultValue = "600", description = "drain: seconds one system may take to process (default ${DEFAULT-VALUE})")
    int timeout;

    @Option(names = "--chart", paramLabel = "FILE", description = "also write a PNG chart of the results, as ratios to the hand-written queue")
    Path chart;

    @Option(names = "--chart-only", paramLabel = "JSONL", split = ",",
            description = "measure nothing: draw --chart from these files of saved JSON lines")
    List<Path> chartOnly;

    private final PrintStream out;
    private final PrintStream err;

    BenchMain(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        // The launcher may pass its sub-command along: "./sluice bench --store ...".
        String[] rest = args.length > 0 && args[0].equals("bench") ? Arrays.copyOfRange(args, 1, args.length) : args;
        // The write-ahead log's benchmark has options of its own (producers, modes); it parses them itself.
        for (int i = 0; i + 1 < rest.length; i++) {
            if (rest[i].equals("--workload") && rest[i + 1].equals("wal")) {
                return dev.sluice.bench.wal.WalBenchmark.run(rest);
            }
        }
        return new CommandLine(new BenchMain(out, err)).execute(rest);
    }

    @Override
    public Integer call() throws Exception {
        if (chartOnly != null) {
            return chartFromFiles();
        }
        if (store == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--store is required");
        }
        StoreKind kind = StoreKind.parse(store);
        if (workload.equals("streams")) {
            err.printf("sluice bench: streams on %s, %d streams x %d jobs, %d workers, against as many plain jobs%n",
                    kind, streams, jobsPerStream, workers);
            ServerBase base = ServerBase.of(kind, db, user, password);
            try {
                new StreamsBenchmark(streams, jobsPerStream, workers).run(base, out, err);
            } finally {
                base.deleteOwnedFolder();
            }
            return 0;
        }
        Workload w = switch (workload) {
            case "drain" -> new DrainWorkload(jobs, workers, Duration.ofSeconds(timeout));
            case "stream" -> new StreamWorkload(rate, seconds, workers, Duration.ofSeconds(30));
            default -> throw new IllegalArgumentException("unknown workload '" + workload
                    + "': use drain, stream or streams");
        };
        err.printf("sluice bench: %s on %s, %s, %d workers%s, median of %d timed run(s) each%n", w.name(), kind,
                w instanceof DrainWorkload ? jobs + " jobs" : rate + " jobs/s for " + seconds + " s", workers,
                baselines ? ", with baselines" : "", runs);
        ResultTable table = new BenchRunner(ServerBase.of(kind, db, user, password), w,
                only != null ? only : BenchRunner.systems(baselines), noWarmUp ? 0 : warmUps, runs, err).run();
        table.print(out);
        for (Result r : table.results()) {
            out.println(r.toJsonLine());
        }
        if (chart != null) {
            RatioChart.write(table.results(), chart);
            err.println("chart written to " + chart);
        }
        return table.results().stream().anyMatch(r -> r.system().equals("sluice")) ? 0 : 1;
    }

    private int chartFromFiles() throws IOException {
        if (chart == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--chart-only needs --chart FILE");
        }
        List<Result> results = new ArrayList<>();
        for (Path file : chartOnly) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("{")) {
                    results.add(Result.fromJsonLine(line));
                }
            }
        }
        int bars = RatioChart.write(results, chart);
        err.println("chart of " + bars + " bar(s) written to " + chart);
        return bars > 0 ? 0 : 1;
    }
}
