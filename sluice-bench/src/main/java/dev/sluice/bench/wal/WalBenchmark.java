package dev.sluice.bench.wal;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.bench.report.GroupCommitChart;
import dev.sluice.store.NewActivity;
import dev.sluice.store.Stores;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcStores;
import dev.sluice.wal.WalConfig;
import dev.sluice.wal.WalJournal;
import dev.sluice.wal.WalMode;
import dev.sluice.wal.WalStats;
import dev.sluice.wal.WriteAheadLog;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * {@code sluice bench --workload wal}: the write-ahead log's speed, measured in one run on one
 * database.
 * <ol>
 *   <li>Appends per second with 1 and P producer threads, in relaxed and in durable mode, and how
 *       many records each fsync carried (group commit). The log runs without a sink here, so the
 *       database does not slow the appends down. Durable mode is measured twice: with platform
 *       threads, and with virtual threads as Sluice's own workers are (their completions and
 *       activity logs are the durable appends inside Sluice). A durable append parks its thread
 *       until the fsync; waking a parked platform thread on an idle virtual core costs tens of
 *       microseconds here, waking a virtual thread far less, so the two differ.</li>
 *   <li>Flush rate: N activity records appended beforehand are flushed into the database by the
 *       log's flush workers (defaults: 2 workers, batches of 100), timed from open to the last
 *       one in the database.</li>
 *   <li>The disk alone: one thread writes a record's bytes to a file and fsyncs it, in a loop
 *       (system "disk", mode "fsync"): the ceiling of one durable producer, and the fsync time that
 *       bounds what group commit can gain.</li>
 *   <li>A naive writer on the same database: one autocommitted INSERT per activity, with 1 and
 *       with P threads, for comparison.</li>
 * </ol>
 * Prints a table, then one JSON object per line (fields system, store, workload, mode, producers,
 * appends_per_s, records_per_fsync, flush_per_s; the naive writer's rate is its flush_per_s).
 * Self-contained so that the bench CLI can call {@link #run(String...)}.
 */
public final class WalBenchmark {
    private final PrintStream out;
    private String store = "postgresql";
    private int producers = 16;
    private int seconds = 5;
    private int flushEntries = 200_000;
    private int batchSize = 100;
    private int workers = 2;
    private int payloadBytes = 100;
    private String url;
    private String user;
    private String password;
    private Path base;
    private List<Integer> sweep;
    private Path chart;

    /** One measured line. */
    record Result(String system, String mode, int producers, String threads, Double appendsPerSecond,
                  Double recordsPerFsync, Double flushPerSecond) {
    }

    private static final String PLATFORM = "platform";
    private static final String VIRTUAL = "virtual";

    WalBenchmark(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the benchmark; returns the exit code (0 done, 2 bad arguments, 1 failure). */
    public static int run(String... args) {
        return run(System.out, args);
    }

    static int run(PrintStream out, String... args) {
        WalBenchmark b = new WalBenchmark(out);
        try {
            if (!b.parse(args)) {
                return 2;
            }
            b.execute();
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("wal benchmark: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("wal benchmark failed: " + e);
            e.printStackTrace();
            return 1;
        }
    }

    private boolean parse(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--workload" -> {
                    String w = value(args, ++i, a);
                    if (!w.equals("wal")) {
                        throw new IllegalArgumentException("this benchmark runs --workload wal, not " + w);
                    }
                }
                case "--store" -> store = value(args, ++i, a);
                case "--producers" -> producers = positive(a, value(args, ++i, a));
                case "--seconds" -> seconds = positive(a, value(args, ++i, a));
                case "--flush-entries" -> flushEntries = positive(a, value(args, ++i, a));
                case "--batch-size" -> batchSize = positive(a, value(args, ++i, a));
                case "--workers" -> workers = positive(a, value(args, ++i, a));
                case "--payload-bytes" -> payloadBytes = positive(a, value(args, ++i, a));
                case "--url" -> url = value(args, ++i, a);
                case "--user" -> user = value(args, ++i, a);
                case "--password" -> password = value(args, ++i, a);
                case "--dir" -> base = Path.of(value(args, ++i, a));
                case "--sweep" -> sweep = producerCounts(a, value(args, ++i, a));
                case "--chart" -> chart = Path.of(value(args, ++i, a));
                case "-h", "--help" -> {
                    out.println("""
                            usage: sluice bench --workload wal [--store sqlite|postgresql|mariadb] [--producers P]
                                   [--seconds S] [--flush-entries N] [--batch-size B] [--workers W]
                                   [--payload-bytes N] [--url JDBC_URL --user U --password PW] [--dir DIR]
                                   [--sweep P1,P2,... [--chart FILE.png]]
                            defaults: postgresql on 127.0.0.1 (database test), 16 producers, 5 s per phase,
                                      200000 entries flushed, batches of 100, 2 flush workers, 100-byte messages
                            --sweep: durable mode only (no database), with each number of producers on platform
                                     and on virtual threads, and the disk alone; --chart draws it""");
                    return false;
                }
                default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
            }
        }
        if (chart != null && sweep == null) {
            throw new IllegalArgumentException("--chart draws a --sweep; give --sweep too");
        }
        if (url == null) {
            switch (store) {
                case "postgresql" -> {
                    url = "jdbc:postgresql://127.0.0.1:5432/test";
                    user = user == null ? "postgres" : user;
                }
                case "mariadb" -> {
                    url = "jdbc:mariadb://127.0.0.1:3306/test";
                    user = user == null ? "root" : user;
                }
                case "sqlite" -> url = null;
                default -> throw new IllegalArgumentException("--store must be sqlite, postgresql or mariadb, got " + store);
            }
        }
        return true;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static List<Integer> producerCounts(String option, String v) {
        List<Integer> counts = new ArrayList<>();
        for (String part : v.split(",")) {
            counts.add(positive(option, part.trim()));
        }
        return List.copyOf(counts);
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException(option + " must be at least 1, got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got " + v);
        }
    }

    private void execute() throws Exception {
        Path root = base != null ? Files.createDirectories(base) : Files.createTempDirectory("sluice-wal-bench-");
        if (sweep != null) {
            try {
                sweep(root);
            } finally {
                deleteTree(root);
            }
            return;
        }
        if (url == null) {
            url = "jdbc:sqlite:" + root.resolve("bench.db");
        }
        out.printf(Locale.ROOT, "WAL benchmark on %s (%s), %d producers, %d s per phase, %d cores%n", store, url,
                producers, seconds, Runtime.getRuntime().availableProcessors());
        byte[] payload = WalJournal.activityPayload(activity(0));
        List<Result> results = new ArrayList<>();
        try {
            for (WalMode mode : List.of(WalMode.RELAXED, WalMode.DURABLE)) {
                for (int p : List.of(1, producers)) {
                    results.add(appends(root.resolve(mode.name().toLowerCase(Locale.ROOT) + "-" + p), mode, p, false,
                            payload));
                }
            }
            for (int p : List.of(1, producers)) {
                results.add(appends(root.resolve("durable-virtual-" + p), WalMode.DURABLE, p, true, payload));
            }
            results.add(disk(root.resolve("disk"), payload));
            try (HikariDataSource pool = JdbcStores.pool(url, user, password, Math.max(4, producers + 2))) {
                Stores stores = JdbcStores.open(pool, Dialect.fromJdbcUrl(url), () -> { });
                results.add(flush(root.resolve("flush"), stores, payload));
                results.add(naive(stores, 1));
                results.add(naive(stores, producers));
            }
        } finally {
            deleteTree(root);
        }
        print(results);
    }

    /**
     * Durable appends with each number of producers of the sweep, on platform and on virtual
     * threads, then the disk alone; a table, the JSON lines, and the chart if asked for.
     */
    private void sweep(Path root) throws Exception {
        store = "none"; // the log alone, on the local disk
        byte[] payload = WalJournal.activityPayload(activity(0));
        out.printf(Locale.ROOT, "WAL group commit sweep: durable appends with %s producers, %d s each, %d cores%n",
                sweep, seconds, Runtime.getRuntime().availableProcessors());
        List<Result> results = new ArrayList<>();
        Map<String, Map<Integer, Double>> lines = new LinkedHashMap<>();
        for (boolean virtual : List.of(false, true)) {
            Map<Integer, Double> line = new TreeMap<>();
            for (int p : sweep) {
                Result r = appends(root.resolve("sweep-" + virtual + "-" + p), WalMode.DURABLE, p, virtual, payload);
                results.add(r);
                line.put(p, r.appendsPerSecond());
            }
            lines.put((virtual ? VIRTUAL : PLATFORM) + " threads", line);
        }
        Result disk = disk(root.resolve("disk"), payload);
        results.add(disk);
        out.println();
        for (Result r : results) {
            printJson(r);
        }
        if (chart != null) {
            GroupCommitChart.write(lines, disk.appendsPerSecond(), chart);
            out.println("chart: " + chart);
        }
    }

    private NewActivity activity(long i) {
        String message = "x".repeat(payloadBytes);
        return new NewActivity(i, null, "bench", message, "bench-node", System.currentTimeMillis());
    }

    private Result appends(Path dir, WalMode mode, int threads, boolean virtual, byte[] payload) throws Exception {
        WalConfig config = WalConfig.defaults(dir).mode(mode).flushInterval(Duration.ofSeconds(5))
                .backlog(Long.MAX_VALUE, Duration.ofSeconds(1));
        double rate;
        WriteAheadLog log = WriteAheadLog.open(config, null, null);
        try {
            rate = timedProducers("sluice-bench-producer-", threads, virtual,
                    () -> log.append(WalJournal.TYPE_ACTIVITY, payload));
        } finally {
            log.close(); // the last fsync (relaxed mode) is counted in records per fsync
            deleteTree(dir);
        }
        WalStats stats = log.stats();
        Result r = new Result("sluice", mode.name().toLowerCase(Locale.ROOT), threads, virtual ? VIRTUAL : PLATFORM,
                rate, stats.recordsPerFsync(), null);
        out.printf(Locale.ROOT, "  %-8s %2d producer(s), %-8s threads: %,12.0f appends/s, %,10.1f records per fsync%n",
                r.mode(), threads, r.threads(), r.appendsPerSecond(), r.recordsPerFsync());
        return r;
    }

    /**
     * The disk under the log, without the log: one thread appends a record's bytes to a file and
     * fsyncs it, in a loop. It is the ceiling of one durable producer, and what every group
     * commit saves: the faster the disk's fsync, the less the waiting of many producers can share.
     */
    private Result disk(Path dir, byte[] payload) throws Exception {
        Files.createDirectories(dir);
        byte[] record = new byte[WriteAheadLog.recordSize(payload.length)];
        double rate;
        try (RandomAccessFile file = new RandomAccessFile(dir.resolve("fsync-probe").toFile(), "rw")) {
            rate = timedProducers("sluice-bench-disk-", 1, false, () -> {
                try {
                    file.write(record);
                    file.getFD().sync();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } finally {
            deleteTree(dir);
        }
        out.printf(Locale.ROOT, "  disk      1 thread,            write+fsync: %,12.0f per second (%.0f µs each), without"
                + " the log%n", rate, 1e6 / rate);
        return new Result("disk", "fsync", 1, PLATFORM, rate, 1.0, null);
    }

    private Result flush(Path dir, Stores stores, byte[] payload) throws Exception {
        // Untimed first, twice as many entries as the timed run: the JIT compiles the flush path
        // (reading, decoding, COPY encoding) meanwhile, so that the timed run measures the steady
        // state. After a warm-up of a quarter of the entries, the JIT was still compiling during
        // the timed flush, which then ran 120-137k entries/s against 127-176k/s after this one.
        for (int round = 0; round < 2; round++) {
            flushOnce(dir.resolveSibling("flush-warm-up"), stores, payload, flushEntries, false);
        }
        return flushOnce(dir, stores, payload, flushEntries, true);
    }

    private Result flushOnce(Path dir, Stores stores, byte[] payload, int entries, boolean report) throws Exception {
        WalConfig config = WalConfig.defaults(dir).mode(WalMode.RELAXED).batchSize(batchSize).workerCount(workers)
                .enableRecovery(false).backlog(Long.MAX_VALUE, Duration.ofSeconds(1));
        try (WriteAheadLog log = WriteAheadLog.open(config, null, null)) {
            for (int i = 0; i < entries; i++) {
                log.append(WalJournal.TYPE_ACTIVITY, payload);
            }
        }
        double rate;
        try (WalJournal journal = WalJournal.open(config, stores.wal(), null)) {
            // Timed from the end of open (which reads and checks every segment) to the last
            // record in the database: the flush alone.
            long t0 = System.nanoTime();
            if (!journal.log().awaitFlushed(Duration.ofMinutes(10))) {
                throw new IllegalStateException("the flush did not finish within 10 minutes: " + journal.log().health());
            }
            double elapsed = (System.nanoTime() - t0) / 1e9;
            rate = journal.log().stats().entriesFlushed() / elapsed;
            if (!report) {
                return null;
            }
            out.printf(Locale.ROOT, "  flush    %2d worker(s): %,12.0f entries/s into %s (%d entries, batches of %d,"
                    + " p99 batch %.1f ms)%n", workers, rate, store, entries, batchSize,
                    journal.log().stats().p99FlushMillis());
        } finally {
            deleteTree(dir);
        }
        return new Result("sluice", "flush", workers, PLATFORM, null, null, rate);
    }

    private Result naive(Stores stores, int threads) throws Exception {
        AtomicLong next = new AtomicLong();
        double rate = timedProducers("sluice-bench-naive-", threads, false,
                () -> stores.activities().activityInsert(activity(next.getAndIncrement())));
        out.printf(Locale.ROOT, "  naive    %2d thread(s):   %,12.0f inserts/s (one autocommitted INSERT each)%n", threads,
                rate);
        return new Result("naive", "autocommit", threads, PLATFORM, null, null, rate);
    }

    /**
     * Runs {@code step} in a loop on {@code threads} named threads, started together, for the
     * configured seconds; returns the steps per second of all of them.
     */
    private double timedProducers(String namePrefix, int threads, boolean virtual, Runnable step)
            throws InterruptedException {
        LongAdder count = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread.Builder builder = virtual ? Thread.ofVirtual() : Thread.ofPlatform();
            ts.add(builder.name(namePrefix + t).start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long n = 0;
                while (!stop.get()) {
                    step.run();
                    n++;
                }
                count.add(n);
            }));
        }
        long t0 = System.nanoTime();
        start.countDown();
        Thread.sleep(Duration.ofSeconds(seconds));
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        return count.sum() / ((System.nanoTime() - t0) / 1e9);
    }

    private void print(List<Result> results) {
        out.println();
        out.printf("%-7s %-11s %-10s %9s %-8s %14s %12s %14s%n", "system", "store", "mode", "producers", "threads",
                "appends/s", "rec/fsync", "flush/s");
        for (Result r : results) {
            out.printf(Locale.ROOT, "%-7s %-11s %-10s %9d %-8s %14s %12s %14s%n", r.system(), store, r.mode(),
                    r.producers(), r.threads(), fmt(r.appendsPerSecond(), "%,.0f"), fmt(r.recordsPerFsync(), "%.1f"),
                    fmt(r.flushPerSecond(), "%,.0f"));
        }
        Result flush = results.stream().filter(r -> r.mode().equals("flush")).findFirst().orElseThrow();
        Result naive1 = results.stream().filter(r -> r.system().equals("naive") && r.producers() == 1).findFirst()
                .orElseThrow();
        out.printf(Locale.ROOT, "%nflush vs naive writer (1 thread): %.1fx; durable %d producers vs 1: %.1fx"
                + " (platform threads), %.1fx (virtual threads)%n",
                flush.flushPerSecond() / naive1.flushPerSecond(), producers, groupCommitGain(results, PLATFORM),
                groupCommitGain(results, VIRTUAL));
        Result disk = results.stream().filter(r -> r.system().equals("disk")).findFirst().orElseThrow();
        out.printf(Locale.ROOT, "one durable producer vs the disk's own write+fsync: %.0f %%; an fsync here takes %.0f µs"
                + " (the shorter it is, the less a group commit can gain)%n",
                100 * find(results, "durable", 1, PLATFORM).appendsPerSecond() / disk.appendsPerSecond(),
                1e6 / disk.appendsPerSecond());
        out.println();
        for (Result r : results) {
            printJson(r);
        }
    }

    private void printJson(Result r) {
        out.printf(Locale.ROOT, "{\"system\":\"%s\",\"store\":\"%s\",\"workload\":\"wal\",\"mode\":\"%s\","
                + "\"producers\":%d,\"threads\":\"%s\",\"appends_per_s\":%s,\"records_per_fsync\":%s,"
                + "\"flush_per_s\":%s}%n",
                r.system(), store, r.mode(), r.producers(), r.threads(), json(r.appendsPerSecond()),
                json(r.recordsPerFsync()), json(r.flushPerSecond()));
    }

    /** Durable appends per second with P producers over those with one, on threads of one kind. */
    private double groupCommitGain(List<Result> results, String threads) {
        return find(results, "durable", producers, threads).appendsPerSecond()
                / find(results, "durable", 1, threads).appendsPerSecond();
    }

    private static Result find(List<Result> results, String mode, int producers, String threads) {
        return results.stream()
                .filter(r -> r.mode().equals(mode) && r.producers() == producers && r.threads().equals(threads))
                .findFirst().orElseThrow();
    }

    private static String fmt(Double v, String format) {
        return v == null ? "-" : String.format(Locale.ROOT, format, v);
    }

    private static String json(Double v) {
        return v == null ? "null" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
