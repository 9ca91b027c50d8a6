package dev.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.Activity;
import dev.sluice.job.ActivityQuery;
import dev.sluice.job.InvalidJobException;
import dev.sluice.job.Job;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobRequest;
import dev.sluice.job.JobState;
import dev.sluice.store.FetchParams;
import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.WalBatch;
import dev.sluice.store.WalEntry;
import dev.sluice.store.WalFlush;
import dev.sluice.store.Stores;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcStores;
import dev.sluice.testing.SwitchableDataSource;
import dev.sluice.testing.NodesOnOneDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the write-ahead log promises through Sluice, on every dialect: buffered enqueue, activity
 * logs, completions made durable first, idempotent replay, and nothing lost while the database
 * is unreachable. Each test uses its own kinds, batch ids and log directory.
 */
abstract class WalBehaviourTest extends NodesOnOneDatabase {
    private static final Duration WAIT = Duration.ofSeconds(30);

    record Note(String text) {
    }

    private Stores stores;

    @TempDir
    Path dir;

    @BeforeAll
    void openStores() {
        try (Sluice s = db.sluice().build()) {
            // applies the migrations once
        }
        stores = JdbcStores.open(db.dataSource(), dialect(), () -> { });
    }

    @AfterAll
    void closeStores() throws Exception {
        if (stores != null) {
            stores.close();
        }
    }

    private WalConfig wal(String name) {
        return WalConfig.defaults(dir.resolve(name)).flushInterval(Duration.ofMillis(200));
    }

    private Sluice.Builder builder() {
        return db.sluice()
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .heartbeatInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(5))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private List<Job> jobsOfKind(Sluice s, String kind) {
        return s.jobs(JobQuery.all().kind(kind).limit(1000)).jobs();
    }

    @Test
    void bufferedJobsAreAcceptedAtOnceAndRunOnceFlushed() {
        String kind = unique("buffered");
        AtomicInteger runs = new AtomicInteger();
        Sluice s = node(builder().wal(wal("buffered").mode(WalMode.RELAXED))
                .handler(kind, Note.class, (n, ctx) -> {
                    runs.incrementAndGet();
                    return JobOutcome.success();
                }));
        s.start();
        List<Long> entries = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(s.enqueueBuffered(JobRequest.of(kind, new Note("n" + i)).priority(i % 3)));
        }
        assertThat(entries).doesNotHaveDuplicates().isSorted();
        await().atMost(WAIT).until(() -> jobsOfKind(s, kind).stream().filter(j -> j.state() == JobState.COMPLETED).count() == 50);
        assertThat(runs).hasValue(50);
        assertThat(jobsOfKind(s, kind)).extracting(j -> j.payload()).contains("{\"text\":\"n7\"}");
        assertThat(s.meterRegistry().get("sluice.jobs.enqueued").tag("kind", kind).counter().count()).isEqualTo(50);
    }

    @Test
    void bufferedEnqueueValidatesLikeEnqueueAndWritesNothingWhenInvalid() {
        Sluice s = node(builder().wal(wal("invalid")));
        assertThatThrownBy(() -> s.enqueueBuffered(JobRequest.of("x", new Note("a")).queue("nowhere")))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("unknown queue 'nowhere'");
        assertThatThrownBy(() -> s.enqueueBuffered(JobRequest.of("x", new Note("a")).delay(Duration.ofSeconds(-1))))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("delay:");
        assertThat(s.walStats().orElseThrow().entriesBuffered()).isZero();
    }

    @Test
    void bufferedEnqueueWithoutTheLogSaysHowToEnableIt() {
        Sluice s = node(builder());
        assertThatThrownBy(() -> s.enqueueBuffered("x", new Note("a")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Sluice.Builder.wal(WalConfig)");
        assertThat(s.walHealth()).isEmpty();
    }

    @Test
    void activityLogsAreQueryablePerJobAndPerBatchWithAndWithoutTheLog() {
        long job = 1_000_000 + (long) (Math.random() * 1_000_000);
        long batch = 2_000_000 + (long) (Math.random() * 1_000_000);
        Sluice direct = node(builder());
        direct.log(job, "created", "direct 1");
        Sluice logged = node(builder().wal(wal("activity")));
        logged.log(job, "processing", "through the log");
        logged.logBatch(batch, "started", "batch of 3 rows");
        logged.logBatch(batch, "finished", "3 rows done");
        assertThat(logged.awaitWalFlushed(WAIT)).isTrue();

        List<Activity> ofJob = logged.activities(ActivityQuery.job(job));
        assertThat(ofJob).extracting(Activity::action, Activity::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("created", "direct 1"),
                        org.assertj.core.groups.Tuple.tuple("processing", "through the log"));
        assertThat(ofJob).allSatisfy(a -> {
            assertThat(a.jobId()).isEqualTo(job);
            assertThat(a.batchId()).isNull();
            assertThat(a.node()).isNotBlank();
            assertThat(a.loggedAt()).isNotNull();
        });
        List<Activity> ofBatch = logged.activities(ActivityQuery.batch(batch));
        assertThat(ofBatch).extracting(Activity::action).containsExactly("started", "finished");
        assertThat(logged.activities(ActivityQuery.batch(batch).limit(1))).hasSize(1);
        assertThat(logged.activities(ActivityQuery.batch(batch).after(ofBatch.getFirst())))
                .extracting(Activity::action).containsExactly("finished");
        assertThatThrownBy(() -> logged.log(job, " ", "x")).isInstanceOf(InvalidJobException.class)
                .hasMessageStartingWith("action:");
    }

    @Test
    void activitiesAreListedInTheOrderTheyWereLoggedThoughParallelWorkersFlushThem() {
        long batch = 5_000_000 + (long) (Math.random() * 1_000_000);
        Sluice s = node(builder().wal(wal("ordered").mode(WalMode.RELAXED).batchSize(7).workerCount(3)));
        for (int i = 0; i < 300; i++) {
            s.logBatch(batch, "step", "step " + i);
        }
        assertThat(s.awaitWalFlushed(WAIT)).isTrue();
        List<String> listed = new ArrayList<>();
        ActivityQuery query = ActivityQuery.batch(batch).limit(40);
        while (true) {
            List<Activity> page = s.activities(query);
            page.forEach(a -> listed.add(a.message()));
            if (page.size() < 40) {
                break;
            }
            query = query.after(page.getLast());
        }
        assertThat(listed).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 300).mapToObj(i -> "step " + i).toList());
    }

    @Test
    void replayingEntriesTheDatabaseHasNeverDuplicatesThemWhetherTheirGuardRowsArePrunedOrNot() throws IOException {
        long batch = 3_000_000 + (long) (Math.random() * 1_000_000);
        String kind = unique("replayed");
        WalConfig cfg = wal("replay").flushInterval(Duration.ofHours(1)); // no guard pruning while running
        Sluice s = node(builder().wal(cfg));
        for (int i = 0; i < 120; i++) {
            s.logBatch(batch, "row", "row " + i);
        }
        for (int i = 0; i < 30; i++) {
            s.enqueueBuffered(kind, new Note("j" + i));
        }
        assertThat(s.awaitWalFlushed(WAIT)).isTrue();
        // A copy of the log as a crash before the checkpoint would leave it: every entry unflushed.
        Path copy = copyWithoutCheckpoint(cfg.directory(), dir.resolve("replay-copy"));
        try (WalJournal replay = WalJournal.open(cfg.directory(copy), stores.wal(), null)) {
            assertThat(replay.log().recovery().unflushed()).isEqualTo(150);
            assertThat(replay.log().stats().duplicatesSkipped()).as("recognised by their guard rows").isEqualTo(150);
            assertThat(replay.log().stats().entriesFlushed()).isZero();
        }
        s.close(); // the checkpoint covers everything now, and the guard rows are pruned
        assertThat(stores.wal().walPrunedThrough(logIdOf(cfg.directory()))).isEqualTo(150);
        Path second = copyWithoutCheckpoint(cfg.directory(), dir.resolve("replay-copy-2"));
        try (WalJournal replay = WalJournal.open(cfg.directory(second), stores.wal(), null)) {
            assertThat(replay.log().stats().duplicatesSkipped()).as("recognised by the pruned-through mark")
                    .isEqualTo(150);
        }
        Sluice reader = node(builder());
        assertThat(reader.activities(ActivityQuery.batch(batch))).hasSize(120)
                .extracting(Activity::message).doesNotHaveDuplicates();
        assertThat(jobsOfKind(reader, kind)).hasSize(30);
    }

    @Test
    void aFlushOfAProcessWhoseLogWasOpenedAgainWritesNothing() {
        long log = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        long batch = 6_000_000 + (long) (Math.random() * 1_000_000);
        long first = stores.wal().walOpen(log);
        long second = stores.wal().walOpen(log); // the next owner, e.g. after a crash
        assertThat(second).isGreaterThan(first);
        WalFlush stale = new WalFlush(log, first, List.of(new WalBatch(List.of(),
                List.of(new WalEntry<>(1, new NewActivity(null, batch, "stale", "m", "n", 1))), List.of())));
        assertThatThrownBy(() -> stores.wal().walApply(stale)).hasMessageContaining("was opened again");
        WalFlush current = new WalFlush(log, second, stale.batches());
        assertThat(stores.wal().walApply(current).activityEntries()).containsExactly(1L);
        assertThat(stores.wal().walApply(current).count()).as("applied once").isZero();
        Sluice reader = node(builder());
        assertThat(reader.activities(ActivityQuery.batch(batch))).hasSize(1);
    }

    @Test
    void aTransactionAppliesOnlyTheIdsNoEarlierOneAppliedWithOrWithoutGaps() {
        long log = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        long batch = 7_000_000 + (long) (Math.random() * 1_000_000);
        long opened = stores.wal().walOpen(log);
        java.util.function.Function<long[], List<Long>> apply = ids -> {
            List<WalEntry<NewActivity>> rows = new ArrayList<>();
            for (long id : ids) {
                rows.add(new WalEntry<>(id, new NewActivity(null, batch, "step", "entry " + id, "n", 1)));
            }
            return stores.wal().walApply(new WalFlush(log, opened, List.of(new WalBatch(List.of(), rows, List.of()))))
                    .activityEntries();
        };
        assertThat(apply.apply(new long[] {1, 2, 3})).containsExactly(1L, 2L, 3L);
        assertThat(apply.apply(new long[] {1, 2, 3})).as("all applied before").isEmpty();
        assertThat(apply.apply(new long[] {2, 3, 4, 5, 6})).as("overlapping the first").containsExactly(4L, 5L, 6L);
        assertThat(apply.apply(new long[] {8, 9, 11})).as("with a gap").containsExactly(8L, 9L, 11L);
        assertThat(apply.apply(new long[] {7, 8, 9, 10, 11, 12})).as("filling the gaps")
                .containsExactly(7L, 10L, 12L);
        assertThat(apply.apply(new long[] {13, 14})).containsExactly(13L, 14L);
        stores.wal().walPrune(log, 12);
        assertThat(apply.apply(new long[] {11, 12, 13, 14, 15})).as("after pruning").containsExactly(15L);
        Sluice reader = node(builder());
        assertThat(reader.activities(ActivityQuery.batch(batch).limit(100))).extracting(Activity::message)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 15).mapToObj(i -> "entry " + i).toList());
    }

    @Test
    void aCompletionLoggedBeforeACrashIsReplayedAndTheJobDoesNotRunAgain() {
        String kind = unique("once");
        Sluice setup = node(builder().knownQueues("default"));
        long id = setup.enqueue(kind, new Note("only once"));
        long other = setup.enqueue(kind, new Note("taken by another node"));
        Job claimed = stores.jobs().jobFetchAvailable(new FetchParams("default", List.of(kind), 1, "dead-node", 60_000))
                .getFirst();
        stores.jobs().jobFetchAvailable(new FetchParams("default", List.of(kind), 1, "other-node", 60_000));
        // The dead node ran both and logged their completions durably, then died before the flush:
        // the second one is logged as if the dead node had held it, but "other-node" holds it now.
        WalConfig cfg = wal("crashed");
        try (WriteAheadLog log = WriteAheadLog.open(cfg, null, null)) {
            log.append(WalCodec.TYPE_COMPLETION, WalCodec.completion(new WalCodec.Completion("dead-node", 1,
                    new JobFinish(claimed.id(), 1, "completed", 0, "{\"done\":true}", null), "default", kind)), true);
            log.append(WalCodec.TYPE_COMPLETION, WalCodec.completion(new WalCodec.Completion("dead-node", 1,
                    new JobFinish(other, 1, "completed", 0, null, null), "default", kind)), true);
        }
        AtomicInteger runs = new AtomicInteger();
        Sluice restarted = node(builder().wal(cfg).handler(kind, Note.class, (n, ctx) -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));
        assertThat(restarted.walRecovery().orElseThrow().replayed()).isEqualTo(2);
        restarted.start();
        Job done = restarted.job(claimed.id()).orElseThrow();
        assertThat(done.id()).isEqualTo(id);
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("{\"done\":true}");
        Job stillHeld = restarted.job(other).orElseThrow();
        assertThat(stillHeld.state()).isEqualTo(JobState.RUNNING);
        assertThat(stillHeld.leaseOwner()).isEqualTo("other-node");
        assertThat(runs).hasValue(0);
    }

    @Test
    void aNodeRestartedUnderItsOldIdAppliesItsLoggedCompletionsBeforeItHandsItsLeasesBack() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dialect() != Dialect.SQLITE,
                "SQLite has one writer: holding the log's row back would hold the heartbeat's writes too");
        String kind = unique("restart");
        Sluice setup = node(builder().knownQueues("default"));
        long id = setup.enqueue(kind, new Note("finished before the restart"));
        stores.jobs().jobFetchAvailable(new FetchParams("default", List.of(kind), 1, "node-r", 60_000));
        // The earlier run of node-r finished the job and logged its completion durably, then stopped
        // before the flush.
        WalConfig cfg = wal("restart");
        long logId;
        try (WriteAheadLog log = WriteAheadLog.open(cfg, null, null)) {
            log.append(WalCodec.TYPE_COMPLETION, WalCodec.completion(new WalCodec.Completion("node-r", 1,
                    new JobFinish(id, 1, "completed", 0, "{\"before\":true}", null), "default", kind)), true);
            logId = log.logId();
        }
        AtomicInteger runs = new AtomicInteger();
        try (Connection holder = db.dataSource().getConnection()) {
            // The flush of the restarted node waits for this row: its first statement opens the log.
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement(
                    "INSERT INTO sluice_wal_log (log_id, pruned_through, updated_at, opened) VALUES (?, 0, 0, 0)")) {
                ps.setLong(1, logId);
                ps.executeUpdate();
            }
            // Opening waits for the replay only briefly: the node starts with the completion unapplied.
            started(builder().nodeId("node-r").wal(cfg.recoveryTimeout(Duration.ofMillis(100)))
                    .handler(kind, Note.class, (n, ctx) -> {
                        runs.incrementAndGet();
                        return JobOutcome.success("{\"again\":true}");
                    }));
            Thread.sleep(1_500); // seven heartbeats: a lease no attempt knows is handed back at the second
            Job held = stores.jobs().jobGet(id).orElseThrow();
            assertThat(held.state()).isEqualTo(JobState.RUNNING);
            assertThat(held.leaseOwner()).isEqualTo("node-r");
            assertThat(held.attempt()).isEqualTo(1);
            assertThat(runs).hasValue(0);
            holder.rollback();
        }
        await().atMost(WAIT).until(() -> stores.jobs().jobGet(id).orElseThrow().state() == JobState.COMPLETED);
        assertThat(stores.jobs().jobGet(id).orElseThrow().result()).isEqualTo("{\"before\":true}");
        assertThat(runs).hasValue(0);
    }

    @Test
    void withTheLogEnabledCompletionsAreLoggedFirstAndJobsComplete() {
        String kind = unique("completed");
        Sluice s = node(builder().wal(wal("completions").mode(WalMode.RELAXED))
                .handler(kind, Note.class, (n, ctx) -> JobOutcome.success(n.text())));
        s.start();
        List<Long> ids = s.enqueueAll(Stream.generate(() -> JobRequest.of(kind, new Note("c"))).limit(20).toList());
        await().atMost(WAIT).until(() -> ids.stream().allMatch(i -> s.job(i).orElseThrow().state() == JobState.COMPLETED));
        assertThat(s.awaitWalFlushed(WAIT)).isTrue();
        assertThat(s.walStats().orElseThrow().entriesBuffered()).isEqualTo(20);
        assertThat(s.meterRegistry().get("sluice.jobs.completed").tag("kind", kind).counter().count()).isEqualTo(20);
        assertThat(s.meterRegistry().get("sluice.wal.entries.flushed").functionCounter().count()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void nothingIsLostWhileTheDatabaseIsUnreachableDuringFlushing() {
        long batch = 4_000_000 + (long) (Math.random() * 1_000_000);
        String kind = unique("outage");
        SwitchableDataSource ds = new SwitchableDataSource(db.dataSource());
        Set<String> failingLoops = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Sluice s = node(Sluice.builder().dataSource(ds).errorListener((loop, e) -> failingLoops.add(loop))
                .wal(wal("outage").mode(WalMode.RELAXED).maxFlushRetries(1)));
        for (int i = 0; i < 100; i++) {
            s.logBatch(batch, "before", "before " + i);
        }
        ds.down(true);
        for (int i = 0; i < 300; i++) {
            s.logBatch(batch, "during", "during " + i);
            if (i % 10 == 0) {
                s.enqueueBuffered(kind, new Note("during " + i));
            }
        }
        await().atMost(WAIT).until(() -> s.walHealth().orElseThrow().state() == WalHealth.State.FAILING);
        WalHealth failing = s.walHealth().orElseThrow();
        assertThat(failing.lastError()).contains("database unreachable");
        assertThat(failing.backlog()).isPositive();
        assertThat(failing.isHealthy()).isFalse();
        assertThat(s.walStats().orElseThrow().flushFailures()).isGreaterThanOrEqualTo(2);
        assertThat(s.meterRegistry().get("sluice.wal.healthy").gauge().value()).isZero();
        assertThat(failingLoops).contains("wal-flush");
        ds.down(false);
        assertThat(s.awaitWalFlushed(WAIT)).isTrue();
        assertThat(s.walHealth().orElseThrow().state()).isEqualTo(WalHealth.State.HEALTHY);
        List<Activity> all = s.activities(ActivityQuery.batch(batch).limit(10_000));
        assertThat(all).hasSize(400);
        Set<String> messages = all.stream().map(Activity::message).collect(Collectors.toSet());
        assertThat(messages).hasSize(400).contains("before 0", "during 299");
        assertThat(jobsOfKind(s, kind)).hasSize(30);
    }

    private static Path copyWithoutCheckpoint(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().endsWith(".wal")) {
                    Files.copy(f, to.resolve(f.getFileName()));
                }
            }
        }
        return to;
    }

    private static long logIdOf(Path dir) {
        return CheckpointFile.read(dir).checkpoint().logId();
    }
}
