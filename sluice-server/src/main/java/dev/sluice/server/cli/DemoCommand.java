package dev.sluice.server.cli;

import dev.sluice.Sluice;
import dev.sluice.job.Job;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobState;
import dev.sluice.store.QueueStateCount;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice demo}: starts a node on an embedded SQLite file, enqueues a realistic mix of
 * jobs, shows live progress, and prints a summary once every job has finished.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Sluice on an embedded SQLite file with a realistic mixed workload.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--db", description = "SQLite file to use (default: ${DEFAULT-VALUE}); it is recreated.",
            defaultValue = "sluice-data/demo.db")
    Path file;

    @Option(names = "--keep-running", description = "Keep the node up after the workload (Ctrl-C to stop).")
    boolean keepRunning;

    @Option(names = "--timeout", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "60")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path db = file.toAbsolutePath();
        deleteDatabase(db);
        out.println("Sluice demo: an embedded node on SQLite, nothing to install.");
        out.println("Data lives in " + db);
        try (Sluice sluice = DemoWorkload.register(Sluice.builder().sqlite(db).queue("default", 8)
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(250))).build()) {
            sluice.start();
            var jobs = DemoWorkload.jobs();
            sluice.enqueueAll(jobs);
            out.println("Enqueued " + jobs.size() + " jobs of 6 kinds: e-mails, reports with progress, payments that"
                    + " fail twice then succeed,\n  images (one unsupported, one malformed payload), delayed reminders,"
                    + " urgent pages at priority 10.");
            boolean done = watch(sluice, jobs.size(), out);
            List<Job> all = allJobs(sluice);
            DemoSummary.print(all, out);
            out.println();
            out.println("Inspect the data:  sqlite3 " + db + " \"select kind, state, count(*) from sluice_job group by 1, 2\"");
            if (!done) {
                out.println("The workload did not finish within " + timeoutSeconds + " s.");
                return 1;
            }
            long discarded = all.stream().filter(j -> j.state() == JobState.DISCARDED).count();
            long completed = all.stream().filter(j -> j.state() == JobState.COMPLETED).count();
            if (discarded != DemoWorkload.EXPECTED_DISCARDED || completed + discarded != all.size()) {
                out.println("Unexpected outcome: " + completed + " completed, " + discarded + " discarded of " + all.size());
                return 1;
            }
            out.println("Done: " + completed + " completed, " + discarded + " discarded as intended.");
            if (keepRunning) {
                out.println("--keep-running: the node stays up; press Ctrl-C to stop.");
                CountDownLatch forever = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(forever::countDown, "sluice-demo-stop"));
                forever.await();
            }
            return 0;
        }
    }

    private boolean watch(Sluice sluice, int total, PrintStream out) throws InterruptedException {
        ProgressLine progress = new ProgressLine(out, System.console() != null);
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            Map<JobState, Long> byState = new EnumMap<>(JobState.class);
            for (QueueStateCount c : sluice.counts()) {
                byState.merge(JobState.fromDb(c.state()), c.count(), Long::sum);
            }
            long finished = byState.entrySet().stream().filter(e -> e.getKey().isFinal()).mapToLong(Map.Entry::getValue).sum();
            progress.update(finished, total, detail(byState));
            if (finished >= total) {
                progress.finish();
                return true;
            }
            Thread.sleep(200);
        }
        progress.finish();
        return false;
    }

    private static String detail(Map<JobState, Long> byState) {
        StringBuilder b = new StringBuilder();
        for (JobState s : new JobState[] {JobState.RUNNING, JobState.AVAILABLE, JobState.SCHEDULED, JobState.RETRYABLE,
                JobState.COMPLETED, JobState.DISCARDED}) {
            long n = byState.getOrDefault(s, 0L);
            if (n > 0) {
                b.append(s.dbName()).append(' ').append(n).append("  ");
            }
        }
        return b.toString().strip();
    }

    static List<Job> allJobs(Sluice sluice) {
        List<Job> all = new ArrayList<>();
        JobQuery query = JobQuery.all().limit(1000);
        JobPage page = sluice.jobs(query);
        all.addAll(page.jobs());
        while (page.hasMore()) {
            page = sluice.jobs(query.after(page));
            all.addAll(page.jobs());
        }
        return all;
    }

    private static void deleteDatabase(Path db) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(Path.of(db + suffix));
        }
    }

    static Map<String, List<Job>> byKind(List<Job> jobs) {
        Map<String, List<Job>> out = new TreeMap<>();
        jobs.forEach(j -> out.computeIfAbsent(j.kind(), k -> new ArrayList<>()).add(j));
        return out;
    }
}
