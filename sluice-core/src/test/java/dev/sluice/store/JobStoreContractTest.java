package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.job.CancelResult;
import dev.sluice.job.Job;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobState;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcExecutor;
import dev.sluice.store.jdbc.JdbcStores;
import dev.sluice.store.jdbc.Migrator;
import dev.sluice.store.jdbc.SqlStatements;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What every store must do, checked through the SPI alone ({@link JobStore}, {@link NodeStore},
 * {@link LeaderStore}) on a real database of each dialect. Each subclass names a database; the
 * tables are emptied before every test, so each test states its own starting point.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JobStoreContractTest {
    private static final String QUEUE = "default";
    /** Long enough never to expire during a test, unless a test means it to. */
    private static final long LEASE_MS = 60_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TestDatabase db;
    private Stores stores;
    private JobStore jobs;

    abstract Dialect dialect();

    @BeforeAll
    void openStores() {
        db = TestDatabases.create(dialect());
        stores = JdbcStores.open(db.dataSource(), dialect(), () -> { });
        jobs = stores.jobs();
    }

    @AfterAll
    void closeStores() throws Exception {
        if (stores != null) {
            stores.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM sluice_job");
            st.executeUpdate("DELETE FROM sluice_node");
            st.executeUpdate("DELETE FROM sluice_leader");
        }
    }

    // ---------------------------------------------------------------------------------- insert

    @Test
    void insertManyReturnsTheIdsInTheOrderOfTheJobs() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(job("ordered", "{\"n\":" + i + "}"));
        }
        List<Long> ids = jobs.jobInsertMany(null, batch);

        assertThat(ids).hasSize(50).doesNotHaveDuplicates().isSorted();
        for (int i = 0; i < 50; i++) {
            Job stored = jobs.jobGet(ids.get(i)).orElseThrow();
            assertThat(stored.payload()).isEqualTo("{\"n\":" + i + "}");
            assertThat(stored.state()).isEqualTo(JobState.AVAILABLE);
            assertThat(stored.attempt()).isZero();
        }
    }

    @Test
    void insertInTheCallersTransactionExistsOnlyIfItCommits() throws SQLException {
        long committed;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            jobs.jobInsertMany(c, List.of(job("tx", "\"rolled back\"")));
            c.rollback();
            committed = jobs.jobInsertMany(c, List.of(job("tx", "\"committed\""))).getFirst();
            c.commit();
            c.setAutoCommit(true);
        }
        // Ids are not compared: SQLite hands a rolled-back id out again.
        assertThat(jobs.jobList(JobQuery.all().kind("tx")).jobs()).extracting(Job::id, Job::payload)
                .containsExactly(tuple(committed, "\"committed\""));
    }

    // ----------------------------------------------------------------------------------- fetch

    @Test
    void fetchClaimsTheMostUrgentFirstByPriorityThenRunAtThenId() {
        long now = jobs.now().toEpochMilli();
        long lowOld = insert(scheduled("urgent", 0, now - 5_000));
        long highNew = insert(scheduled("urgent", 5, now - 1_000));
        long highOld = insert(scheduled("urgent", 5, now - 3_000));
        long midA = insert(scheduled("urgent", 2, now - 2_000));
        long midB = insert(scheduled("urgent", 2, now - 2_000));
        long negative = insert(scheduled("urgent", -1, now - 9_000));

        assertThat(fetch("node-1", 2, "urgent")).extracting(Job::id).containsExactly(highOld, highNew);
        assertThat(fetch("node-1", 2, "urgent")).extracting(Job::id).containsExactly(midA, midB);
        assertThat(fetch("node-1", 10, "urgent")).extracting(Job::id).containsExactly(lowOld, negative);
        assertThat(fetch("node-1", 10, "urgent")).isEmpty();
    }

    @Test
    void fetchLeavesJobsThatAreNotDueYet() {
        long now = jobs.now().toEpochMilli();
        long due = insert(scheduled("timed", 0, now - 1));
        insert(scheduled("timed", 9, now + 3_600_000));
        insert(new NewJob("timed", QUEUE, "scheduled", 9, "{}", "[]", 5, null, 3_600_000));

        assertThat(fetch("node-1", 10, "timed")).extracting(Job::id).containsExactly(due);
        assertThat(jobs.jobNextRunAt(QUEUE, List.of("timed"))).hasValueSatisfying(
                next -> assertThat(next).isAfter(Instant.ofEpochMilli(now + 3_000_000)));
    }

    @Test
    void fetchTakesOnlyTheGivenKindsFromTheGivenQueue() {
        String odd = "odd 'kind' \"quoted\" \\ é ✓";
        long mine = insert(job("mine"));
        long alsoMine = insert(job(odd));
        long other = insert(job("not-mine"));
        long elsewhere = insert(new NewJob("mine", "elsewhere", "available", 0, "{}", "[]", 5, null, 0));

        assertThat(fetch("node-1", 10, "mine", odd)).extracting(Job::id)
                .containsExactlyInAnyOrder(mine, alsoMine);
        assertThat(jobs.jobGet(other).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        assertThat(jobs.jobGet(elsewhere).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        assertThat(jobs.jobWaitingKinds()).containsExactly("mine", "not-mine");
    }

    @Test
    void fetchMarksTheJobRunningWithANewAttemptUnderTheOwnersLease() {
        long id = insert(job("claimed"));
        Instant before = jobs.now();

        Job claimed = fetch("node-1", 1, "claimed").getFirst();
        Instant after = jobs.now();

        assertThat(claimed.id()).isEqualTo(id);
        assertThat(claimed.state()).isEqualTo(JobState.RUNNING);
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.leaseOwner()).isEqualTo("node-1");
        assertThat(claimed.leaseUntil()).isBetween(before.plusMillis(LEASE_MS), after.plusMillis(LEASE_MS));
        assertThat(claimed.startedAt()).isBetween(before, after);
        assertThat(jobs.jobGet(id).orElseThrow()).isEqualTo(claimed);
    }

    @Test
    void concurrentFetchersNeverClaimTheSameJob() throws Exception {
        int total = 2_000;
        int fetchers = 8;
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            batch.add(job("contended"));
        }
        Set<Long> inserted = new HashSet<>(jobs.jobInsertMany(null, batch));

        List<Stores> perFetcher = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(fetchers);
        try {
            for (int f = 0; f < fetchers; f++) {
                perFetcher.add(openOwnStores(2));
            }
            CyclicBarrier start = new CyclicBarrier(fetchers);
            List<Future<List<Long>>> claims = new ArrayList<>();
            for (int f = 0; f < fetchers; f++) {
                JobStore store = perFetcher.get(f).jobs();
                String owner = "fetcher-" + f;
                claims.add(pool.submit(() -> {
                    start.await();
                    List<Long> mine = new ArrayList<>();
                    while (true) {
                        List<Job> got = store.jobFetchAvailable(new FetchParams(QUEUE, List.of("contended"), 25,
                                owner, LEASE_MS));
                        if (got.isEmpty()) {
                            return mine;
                        }
                        got.forEach(j -> assertThat(j.leaseOwner()).isEqualTo(owner));
                        got.forEach(j -> mine.add(j.id()));
                    }
                }));
            }
            List<Long> all = new ArrayList<>();
            int busyFetchers = 0;
            for (Future<List<Long>> claim : claims) {
                List<Long> mine = claim.get(2, TimeUnit.MINUTES);
                all.addAll(mine);
                busyFetchers += mine.isEmpty() ? 0 : 1;
            }
            if (dialect() != Dialect.SQLITE) {
                // A fetcher that locks more than it claims makes the others find the queue empty.
                // (SQLite has one writer at a time: there one fetcher may well take it all in turn.)
                assertThat(busyFetchers).as("fetchers that found work").isGreaterThan(1);
            }
            assertThat(all).as("every job claimed once").hasSize(total).doesNotHaveDuplicates();
            assertThat(new HashSet<>(all)).isEqualTo(inserted);
            assertThat(jobs.jobGet(all.getFirst()).orElseThrow().attempt()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
            for (Stores s : perFetcher) {
                s.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------- finish

    @Test
    void finishByTheOwnerWritesTheEndAndReleasesTheLease() {
        long id = claimOne("finished", "node-1");

        List<FinishResult> results = jobs.jobFinishMany("node-1",
                List.of(new JobFinish(id, 1, "completed", 0, "{\"ok\":true}", null)));

        assertThat(results).containsExactly(new FinishResult(id, true, "completed"));
        Job job = jobs.jobGet(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.result()).isEqualTo("{\"ok\":true}");
        assertThat(job.finishedAt()).isNotNull();
        assertThat(job.leaseOwner()).isNull();
        assertThat(job.leaseUntil()).isNull();
        assertThat(job.attempt()).isEqualTo(1);
    }

    @Test
    void finishByAnotherNodeIsNotAppliedAndChangesNothing() {
        long id = claimOne("fenced", "node-1");
        Job before = jobs.jobGet(id).orElseThrow();

        List<FinishResult> results = jobs.jobFinishMany("node-2",
                List.of(new JobFinish(id, 1, "completed", 0, "{\"by\":\"node-2\"}", "[]")));

        assertThat(results).containsExactly(new FinishResult(id, false, null));
        assertThat(jobs.jobGet(id).orElseThrow()).isEqualTo(before);
    }

    @Test
    void finishOfAJobThatIsNoLongerRunningIsNotApplied() {
        long id = claimOne("twice", "node-1");
        jobs.jobFinishMany("node-1", List.of(new JobFinish(id, 1, "completed", 0, "\"first\"", null)));
        Job before = jobs.jobGet(id).orElseThrow();

        List<FinishResult> again = jobs.jobFinishMany("node-1",
                List.of(new JobFinish(id, 1, "discarded", 0, "\"second\"", "[]")));

        assertThat(again).containsExactly(new FinishResult(id, false, null));
        assertThat(jobs.jobGet(id).orElseThrow()).isEqualTo(before);
    }

    @Test
    void finishManyReportsEachJobOnItsOwnInTheOrderGiven() {
        long mine = claimOne("mixed", "node-1");
        long theirs = claimOne("mixed", "node-2");
        long alsoMine = claimOne("mixed", "node-1");

        List<FinishResult> results = jobs.jobFinishMany("node-1", List.of(
                new JobFinish(mine, 1, "completed", 0, null, null),
                new JobFinish(theirs, 1, "completed", 0, null, null),
                new JobFinish(alsoMine, 1, "discarded", 0, null, "[]")));

        assertThat(results).containsExactly(new FinishResult(mine, true, "completed"),
                new FinishResult(theirs, false, null), new FinishResult(alsoMine, true, "discarded"));
        assertThat(jobs.jobGet(theirs).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void finishManyStoresResultsOfSuccessesBatchedWithPlainOnes() {
        long plain = claimOne("results", "node-1");
        long withResult = claimOne("results", "node-1");

        List<FinishResult> results = jobs.jobFinishMany("node-1", List.of(
                new JobFinish(withResult, 1, "completed", 0, "{\"rows\":3}", null),
                new JobFinish(plain, 1, "completed", 0, null, null)));

        assertThat(results).containsExactly(new FinishResult(withResult, true, "completed"),
                new FinishResult(plain, true, "completed"));
        assertThat(jobs.jobGet(withResult).orElseThrow().result()).isEqualTo("{\"rows\":3}");
        Job done = jobs.jobGet(plain).orElseThrow();
        assertThat(done.result()).isNull();
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.leaseOwner()).isNull();
    }

    @Test
    void aBatchRepeatingTheEndOfOneAttemptWritesItOnceAsFirstGiven() {
        long id = claimOne("repeated", "node-1");

        List<FinishResult> results = jobs.jobFinishMany("node-1", List.of(
                new JobFinish(id, 1, "completed", 0, "\"first\"", null),
                new JobFinish(id, 1, "discarded", 0, "\"second\"", "[]")));

        assertThat(results).containsExactly(new FinishResult(id, true, "completed"), new FinishResult(id, false, null));
        Job job = jobs.jobGet(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.COMPLETED);
        assertThat(job.result()).isEqualTo("\"first\"");
    }

    @Test
    void retryableFinishWaitsForItsDelayKeepingTheErrorHistory() {
        long later = claimOne("retry", "node-1");
        long soon = claimOne("retry", "node-1");
        Instant before = jobs.now();

        jobs.jobFinishMany("node-1", List.of(
                new JobFinish(later, 1, "retryable", 3_600_000, null, "[{\"attempt\":1,\"message\":\"boom\"}]"),
                new JobFinish(soon, 1, "retryable", 0, null, null)));

        Job waiting = jobs.jobGet(later).orElseThrow();
        assertThat(waiting.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(waiting.finishedAt()).isNull();
        assertThat(waiting.leaseOwner()).isNull();
        assertThat(waiting.runAt()).isAfterOrEqualTo(before.plusMillis(3_600_000));
        assertThat(waiting.lastError()).isEqualTo("boom");
        assertThat(jobs.jobGet(soon).orElseThrow().errors()).as("null errors keep the stored history").isEmpty();

        List<Job> again = fetch("node-2", 10, "retry");
        assertThat(again).extracting(Job::id).containsExactly(soon);
        assertThat(again.getFirst().attempt()).isEqualTo(2);
    }

    @Test
    void runningJobWhoseCancellationWasRequestedFinishesAsCancelled() {
        long id = claimOne("cancel-me", "node-1");

        assertThat(jobs.jobCancel(id)).isEqualTo(CancelResult.REQUESTED);
        assertThat(jobs.jobCancelRequested("node-1")).containsExactly(id);
        assertThat(jobs.jobCancelRequested("node-2")).isEmpty();
        List<FinishResult> results = jobs.jobFinishMany("node-1", List.of(new JobFinish(id, 1, "completed", 0, null, null)));

        assertThat(results).containsExactly(new FinishResult(id, true, "cancelled"));
        Job job = jobs.jobGet(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.CANCELLED);
        assertThat(job.cancelRequested()).isTrue();
        assertThat(job.finishedAt()).isNotNull();
        assertThat(job.leaseOwner()).isNull();
        assertThat(jobs.jobCancelRequested("node-1")).isEmpty();
    }

    @Test
    void cancelStopsAWaitingJobAtOnceAndLeavesAFinishedOneAlone() {
        long waiting = insert(job("cancel-waiting"));
        long done = claimOne("cancel-done", "node-1");
        jobs.jobFinishMany("node-1", List.of(new JobFinish(done, 1, "completed", 0, null, null)));

        assertThat(jobs.jobCancel(waiting)).isEqualTo(CancelResult.CANCELLED);
        assertThat(jobs.jobCancel(done)).isEqualTo(CancelResult.NOT_CANCELLABLE);
        assertThat(jobs.jobGet(waiting).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobs.jobGet(done).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(fetch("node-1", 10, "cancel-waiting")).isEmpty();
    }

    // ----------------------------------------------------------------------------- lock order

    @Test
    void completionAndCancelOfOneStreamJobWaitingOnEachOtherBothGoThrough() throws Exception {
        assumeServerLocks();
        long head = insert(streamJob("ordered-end", "end-stream", null));
        long next = insert(streamJob("ordered-end", "end-stream", null));
        assertThat(fetch("node-1", 10, "ordered-end")).extracting(Job::id).containsExactly(head);

        bothQueuedOnTheRowOf(head,
                () -> jobs.jobFinishMany("node-1", List.of(new JobFinish(head, 1, "completed", 0, null, null, "end-stream"))),
                () -> jobs.jobCancel(head));

        assertThat(jobs.jobGet(head).orElseThrow().state()).isIn(JobState.COMPLETED, JobState.CANCELLED);
        assertThat(jobs.jobGet(next).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void rescueAndCancelOfOneStreamJobWaitingOnEachOtherBothGoThrough() throws Exception {
        assumeServerLocks();
        long head = insert(streamJob("ordered-rescue", "rescue-stream", null));
        long next = insert(streamJob("ordered-rescue", "rescue-stream", null));
        assertThat(fetchLeased("dead-node", 10, 1, "ordered-rescue")).extracting(Job::id).containsExactly(head);
        await().atMost(WAIT).until(() -> ids(jobs.jobExpiredLeases(100)).contains(head));

        bothQueuedOnTheRowOf(head,
                () -> jobs.jobRescue(new JobRescue(head, "dead-node", "discarded", 0, "[]")),
                () -> jobs.jobCancel(head));

        assertThat(jobs.jobGet(head).orElseThrow().state()).isEqualTo(JobState.DISCARDED);
        assertThat(jobs.jobGet(next).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }

    @Test
    void supersedingAndCancellingOneStreamJobWaitingOnEachOtherBothGoThrough() throws Exception {
        assumeServerLocks();
        long keyed = insert(streamJob("ordered-key", "key-stream", "the-key"));
        long next = insert(streamJob("ordered-key", "key-stream", null));

        bothQueuedOnTheRowOf(keyed,
                () -> jobs.jobInsertMany(null, List.of(new NewJob("ordered-key", QUEUE, "available", 0, "{}", "[]", 5,
                        null, 0, "the-key", false, null, 1))),
                () -> jobs.jobCancel(keyed));

        assertThat(jobs.jobGet(keyed).orElseThrow().state()).isEqualTo(JobState.SUPERSEDED);
        assertThat(jobs.jobGet(next).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
    }

    private void assumeServerLocks() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dialect() != Dialect.SQLITE,
                "SQLite has one writer at a time: its transactions never hold locks the others wait for");
    }

    /**
     * Starts {@code first}, then {@code second}, while another transaction holds the row of job
     * {@code id}, and lets the row go once both wait: each then takes the locks it still needs.
     * Taken in different orders (a stream's lock, then the row; the row, then the lock) they
     * would deadlock, and the database would fail one of them.
     */
    private void bothQueuedOnTheRowOf(long id, Callable<?> first, Callable<?> second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
             Connection watcher = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT id FROM sluice_job WHERE id = ? FOR UPDATE")) {
                lock.setLong(1, id);
                lock.executeQuery().close();
            }
            Future<?> firstDone = pool.submit(first);
            await().atMost(WAIT).until(() -> lockWaits(watcher) == 1);
            Future<?> secondDone = pool.submit(second);
            await().atMost(WAIT).until(() -> lockWaits(watcher) == 2);
            holder.rollback();

            firstDone.get(1, TimeUnit.MINUTES);
            secondDone.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many transactions on this test's database wait for a lock. */
    private long lockWaits(Connection watcher) throws SQLException {
        String sql = dialect() == Dialect.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                : "SELECT COUNT(*) FROM information_schema.INNODB_TRX t"
                        + " JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id"
                        + " WHERE t.trx_state = 'LOCK WAIT' AND p.DB = DATABASE()";
        try (Statement st = watcher.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------------------- hand-back

    @Test
    void handBackRestoresTheAttemptAndMakesTheJobAvailable() {
        long id = claimOne("handed", "node-1");

        assertThat(jobs.jobHandBack(id, 1, "node-2")).as("only the owner hands back").isFalse();
        assertThat(jobs.jobHandBack(id, 1, "node-1")).isTrue();

        Job job = jobs.jobGet(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(job.attempt()).isZero();
        assertThat(job.leaseOwner()).isNull();
        assertThat(job.leaseUntil()).isNull();
        assertThat(jobs.jobHandBack(id, 1, "node-1")).as("not running any more").isFalse();
        assertThat(fetch("node-2", 1, "handed")).singleElement()
                .satisfies(j -> assertThat(j.attempt()).isEqualTo(1));
    }

    /** A job of {@code kind} whose first attempt's lease on node-1 expired and which node-1 then claimed again. */
    private long claimedAgainByItsOwner(String kind) {
        long id = claimOne(kind, "node-1", 1);
        await().atMost(WAIT).until(() -> ids(jobs.jobExpiredLeases(100)).contains(id));
        assertThat(jobs.jobRescue(rescue(id, "node-1", "retryable"))).isTrue();
        assertThat(fetch("node-1", 1, kind)).singleElement().satisfies(j -> assertThat(j.attempt()).isEqualTo(2));
        return id;
    }

    @Test
    void handBackOfAnEarlierAttemptLeavesTheJobItsOwnerClaimedAgainRunning() {
        long id = claimedAgainByItsOwner("handed-late");
        Job secondAttempt = jobs.jobGet(id).orElseThrow();

        assertThat(jobs.jobHandBack(id, 1, "node-1")).isFalse();

        assertThat(jobs.jobGet(id).orElseThrow()).isEqualTo(secondAttempt);
        assertThat(jobs.jobHandBack(id, 2, "node-1")).isTrue();
    }

    // -------------------------------------------------------------------------------- progress

    @Test
    void progressIsSavedForTheRunningAttemptOfItsOwnerOnly() {
        long id = claimOne("progressing", "node-1");

        report("node-2", id, 1, 0.9, "not mine");
        report("node-1", id, 1, 0.25, "a quarter");

        assertSavedProgress(id, 0.25, "a quarter");
    }

    @Test
    void progressOfAnEarlierAttemptIsNotSavedOverTheAttemptItsOwnerClaimedAgain() {
        long id = claimedAgainByItsOwner("progress-late");
        report("node-1", id, 2, 0.5, "second attempt");

        report("node-1", id, 1, 0.99, "first attempt, still running");

        assertSavedProgress(id, 0.5, "second attempt");
    }

    private void report(String owner, long id, int attempt, double fraction, String message) {
        jobs.jobProgressMany(owner, List.of(new JobStore.Progress(id, attempt, fraction, message)));
    }

    private void assertSavedProgress(long id, double fraction, String message) {
        Job job = jobs.jobGet(id).orElseThrow();
        assertThat(job.progress()).isEqualTo(fraction);
        assertThat(job.progressMessage()).isEqualTo(message);
    }

    // ---------------------------------------------------------------------------------- leases

    @Test
    void renewingLeasesExtendsOnlyTheGivenJobsTheOwnerRuns() {
        long mine = claimOne("renew", "node-1", 5_000);
        long mineUnknown = claimOne("renew", "node-1", 5_000);
        long theirs = claimOne("renew", "node-2", 5_000);
        long finished = claimOne("renew", "node-1", 5_000);
        jobs.jobFinishMany("node-1", List.of(new JobFinish(finished, 1, "completed", 0, null, null)));
        Instant theirsBefore = jobs.jobGet(theirs).orElseThrow().leaseUntil();
        Instant unknownBefore = jobs.jobGet(mineUnknown).orElseThrow().leaseUntil();
        Instant before = jobs.now();

        int renewed = jobs.jobRenewLeases("node-1", List.of(mine, theirs, finished), Duration.ofHours(1));

        assertThat(renewed).isEqualTo(1);
        assertThat(jobs.jobGet(mine).orElseThrow().leaseUntil()).isAfterOrEqualTo(before.plus(Duration.ofHours(1)));
        assertThat(jobs.jobGet(mineUnknown).orElseThrow().leaseUntil())
                .as("leased to node-1, which does not name it").isEqualTo(unknownBefore);
        assertThat(jobs.jobGet(theirs).orElseThrow().leaseUntil()).isEqualTo(theirsBefore);
        assertThat(jobs.jobRenewLeases("node-1", List.of(), Duration.ofHours(1))).isZero();
        Job done = jobs.jobGet(finished).orElseThrow();
        assertThat(done.state()).isEqualTo(JobState.COMPLETED);
        assertThat(done.leaseUntil()).isNull();
    }

    @Test
    void expiredLeaseIsFoundAndRescuedFencedOnTheExpiredOwner() {
        long expired = claimOne("expiring", "dead-node", 1);
        long alive = claimOne("expiring", "live-node", LEASE_MS);

        await().atMost(WAIT).until(() -> ids(jobs.jobExpiredLeases(100)).contains(expired));
        assertThat(ids(jobs.jobExpiredLeases(100))).doesNotContain(alive);

        assertThat(jobs.jobRescue(rescue(expired, "some-other-node", "retryable")))
                .as("fenced on the owner whose lease expired").isFalse();
        assertThat(jobs.jobRescue(rescue(alive, "live-node", "retryable")))
                .as("a lease that has not expired is not taken").isFalse();
        assertThat(jobs.jobRescue(rescue(expired, "dead-node", "retryable"))).isTrue();
        assertThat(jobs.jobRescue(rescue(expired, "dead-node", "retryable"))).as("moved on already").isFalse();

        Job rescued = jobs.jobGet(expired).orElseThrow();
        assertThat(rescued.state()).isEqualTo(JobState.RETRYABLE);
        assertThat(rescued.leaseOwner()).isNull();
        assertThat(rescued.finishedAt()).isNull();
        assertThat(rescued.lastError()).isEqualTo("lease expired");
        assertThat(jobs.jobGet(alive).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        assertThat(ids(jobs.jobExpiredLeases(100))).doesNotContain(expired);
    }

    @Test
    void rescueWithSpentAttemptsDiscardsTheJob() {
        long id = insert(new NewJob("spent", QUEUE, "available", 0, "{}", "[]", 1, null, 0));
        fetchLeased("dead-node", 1, 1, "spent");
        await().atMost(WAIT).until(() -> ids(jobs.jobExpiredLeases(100)).contains(id));

        assertThat(jobs.jobRescue(rescue(id, "dead-node", "discarded"))).isTrue();

        Job job = jobs.jobGet(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.DISCARDED);
        assertThat(job.finishedAt()).isNotNull();
        assertThat(fetch("node-1", 10, "spent")).isEmpty();
    }

    @Test
    void renewedLeaseIsNotRescued() {
        long id = claimOne("renewed", "slow-node", 1);
        await().atMost(WAIT).until(() -> ids(jobs.jobExpiredLeases(100)).contains(id));

        assertThat(jobs.jobRenewLeases("slow-node", List.of(id), Duration.ofMinutes(1))).isEqualTo(1);

        assertThat(ids(jobs.jobExpiredLeases(100))).doesNotContain(id);
        assertThat(jobs.jobRescue(rescue(id, "slow-node", "retryable"))).isFalse();
        assertThat(jobs.jobGet(id).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void lateFinishAfterARescueIsNotAppliedOverTheNewOwnersAttempt() {
        long id = claimOne("late", "node-a", 1);
        await().atMost(WAIT).until(() -> ids(jobs.jobExpiredLeases(100)).contains(id));
        assertThat(jobs.jobRescue(rescue(id, "node-a", "retryable"))).isTrue();
        assertThat(fetch("node-b", 1, "late")).singleElement().satisfies(j -> assertThat(j.attempt()).isEqualTo(2));

        List<FinishResult> late = jobs.jobFinishMany("node-a", List.of(new JobFinish(id, 1, "completed", 0, "\"a\"", null)));

        assertThat(late).containsExactly(new FinishResult(id, false, null));
        assertThat(jobs.jobGet(id).orElseThrow().leaseOwner()).isEqualTo("node-b");
        assertThat(jobs.jobFinishMany("node-b", List.of(new JobFinish(id, 2, "completed", 0, "\"b\"", null))))
                .containsExactly(new FinishResult(id, true, "completed"));
        assertThat(jobs.jobGet(id).orElseThrow().result()).isEqualTo("\"b\"");
    }

    @Test
    void finishOfAnEarlierAttemptIsNotAppliedWhenTheSameNodeClaimedTheJobAgain() {
        long id = claimOne("reclaimed", "node-a", 1);
        await().atMost(WAIT).until(() -> ids(jobs.jobExpiredLeases(100)).contains(id));
        assertThat(jobs.jobRescue(rescue(id, "node-a", "retryable"))).isTrue();
        assertThat(fetch("node-a", 1, "reclaimed")).singleElement().satisfies(j -> assertThat(j.attempt()).isEqualTo(2));
        Job secondAttempt = jobs.jobGet(id).orElseThrow();

        List<FinishResult> stale = jobs.jobFinishMany("node-a", List.of(new JobFinish(id, 1, "completed", 0, "\"1\"", null)));

        assertThat(stale).containsExactly(new FinishResult(id, false, null));
        assertThat(jobs.jobGet(id).orElseThrow()).isEqualTo(secondAttempt);
        assertThat(jobs.jobFinishMany("node-a", List.of(
                new JobFinish(id, 1, "discarded", 0, null, "[]"),
                new JobFinish(id, 2, "completed", 0, "\"2\"", null))))
                .containsExactly(new FinishResult(id, false, null), new FinishResult(id, true, "completed"));
        assertThat(jobs.jobGet(id).orElseThrow().result()).isEqualTo("\"2\"");
    }

    // ---------------------------------------------------------------------------------- prune

    @Test
    void pruneDeletesOnlyFinishedJobsOlderThanTheRetentionAtMostTheLimit() throws Exception {
        List<Long> finished = new ArrayList<>();
        for (String end : List.of("completed", "completed", "completed", "discarded")) {
            long id = claimOne("prune", "node-1");
            jobs.jobFinishMany("node-1", List.of(new JobFinish(id, 1, end, 0, null, null)));
            finished.add(id);
        }
        long cancelled = insert(job("prune"));
        jobs.jobCancel(cancelled);
        finished.add(cancelled);
        long retryable = claimOne("prune", "node-1");
        jobs.jobFinishMany("node-1", List.of(new JobFinish(retryable, 1, "retryable", 3_600_000, null, null)));
        long running = claimOne("prune", "node-1");
        long waiting = insert(job("prune"));
        Thread.sleep(50);

        assertThat(jobs.jobPruneFinished(Duration.ofHours(1), 100)).as("nothing is that old").isZero();
        assertThat(jobs.jobPruneFinished(Duration.ofMillis(1), 3)).isEqualTo(3);
        assertThat(finished.stream().filter(id -> jobs.jobGet(id).isPresent())).hasSize(2);
        assertThat(jobs.jobPruneFinished(Duration.ofMillis(1), 100)).isEqualTo(2);
        assertThat(jobs.jobPruneFinished(Duration.ofMillis(1), 100)).isZero();

        assertThat(finished.stream().filter(id -> jobs.jobGet(id).isPresent())).isEmpty();
        assertThat(jobs.jobGet(retryable)).isPresent();
        assertThat(jobs.jobGet(running)).isPresent();
        assertThat(jobs.jobGet(waiting)).isPresent();
    }

    // -------------------------------------------------------------------------------- leaders

    @Test
    void leaderLeaseHasOneOwnerAtATime() {
        LeaderStore leaders = stores.leaders();

        assertThat(leaders.leaderAttemptElect("chores", "node-1", Duration.ofHours(1))).isTrue();
        assertThat(leaders.leaderAttemptElect("chores", "node-2", Duration.ofHours(1))).isFalse();
        assertThat(leaders.leaderAttemptElect("chores", "node-1", Duration.ofHours(1))).as("renewal").isTrue();
        assertThat(leaders.leaderAttemptElect("other-chores", "node-2", Duration.ofHours(1)))
                .as("names are independent").isTrue();

        leaders.leaderResign("chores", "node-2");
        assertThat(leaders.leaderAttemptElect("chores", "node-2", Duration.ofHours(1)))
                .as("only the holder resigns").isFalse();
        leaders.leaderResign("chores", "node-1");
        assertThat(leaders.leaderAttemptElect("chores", "node-2", Duration.ofHours(1))).isTrue();
        assertThat(leaders.leaderAttemptElect("chores", "node-1", Duration.ofHours(1))).isFalse();
    }

    @Test
    void leaderLeaseIsTakenOverAfterItExpires() {
        LeaderStore leaders = stores.leaders();
        assertThat(leaders.leaderAttemptElect("chores", "node-1", Duration.ofMillis(300))).isTrue();
        assertThat(leaders.leaderAttemptElect("chores", "node-2", Duration.ofHours(1))).isFalse();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> leaders.leaderAttemptElect("chores", "node-2", Duration.ofHours(1)));

        assertThat(leaders.leaderAttemptElect("chores", "node-1", Duration.ofMillis(300))).isFalse();
    }

    @Test
    void concurrentElectionsChooseExactlyOneLeader() throws Exception {
        int candidates = 6;
        ExecutorService pool = Executors.newFixedThreadPool(candidates);
        try {
            CyclicBarrier start = new CyclicBarrier(candidates);
            List<Future<Boolean>> votes = new ArrayList<>();
            for (int i = 0; i < candidates; i++) {
                String owner = "node-" + i;
                votes.add(pool.submit(() -> {
                    start.await();
                    return stores.leaders().leaderAttemptElect("race", owner, Duration.ofHours(1));
                }));
            }
            int winners = 0;
            for (Future<Boolean> vote : votes) {
                winners += vote.get(1, TimeUnit.MINUTES) ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------------------------- nodes

    @Test
    void heartbeatRegistersANodeAndRefreshesIt() {
        NodeStore nodes = stores.nodes();
        nodes.nodeHeartbeat(node("node-1", List.of("a", "b"), List.of("default")));
        nodes.nodeHeartbeat(node("node-2", List.of("c"), List.of("default", "bulk")));
        NodeInfo first = live("node-1");

        nodes.nodeHeartbeat(node("node-1", List.of("a", "b", "d"), List.of("default")));

        NodeInfo again = live("node-1");
        assertThat(again.kinds()).containsExactly("a", "b", "d");
        assertThat(again.startedAt()).isEqualTo(first.startedAt());
        assertThat(again.heartbeatAt()).isAfterOrEqualTo(first.heartbeatAt());
        assertThat(live("node-2").queues()).containsExactly("default", "bulk");
        assertThat(nodes.nodeListLive(Duration.ofHours(1))).extracting(NodeInfo::id)
                .containsExactlyInAnyOrder("node-1", "node-2");

        nodes.nodeDelete("node-2");
        assertThat(nodes.nodeListLive(Duration.ofHours(1))).extracting(NodeInfo::id).containsExactly("node-1");
    }

    @Test
    void nodesSilentLongerThanTheTtlAreNotLiveAndArePruned() throws Exception {
        NodeStore nodes = stores.nodes();
        nodes.nodeHeartbeat(node("silent", List.of("a"), List.of("default")));
        Thread.sleep(2_000);
        nodes.nodeHeartbeat(node("talking", List.of("a"), List.of("default")));
        Instant silentAt = live("silent").heartbeatAt();
        // A ttl reaching back just to the silent node's heartbeat: it is out, the other one in,
        // however long the machine took between the two heartbeats and this line.
        Duration ttl = Duration.between(silentAt, jobs.now());

        assertThat(nodes.nodeListLive(ttl)).extracting(NodeInfo::id).containsExactly("talking");
        assertThat(nodes.nodePruneDead(ttl)).isEqualTo(1);
        assertThat(nodes.nodeListLive(Duration.ofHours(1))).extracting(NodeInfo::id).containsExactly("talking");
    }

    // ----------------------------------------------------------------------------- migrations

    @Test
    void migratingAgainChangesNothing() throws SQLException {
        JdbcExecutor executor = new JdbcExecutor(db.dataSource(), dialect(),
                SqlStatements.load(dialect().dir(), "migration"));

        assertThat(new Migrator(executor).migrate()).isZero();
        assertThat(new Migrator(executor).migrate()).isZero();

        assertThat(migrationRows(db.dataSource())).isEqualTo(migrationCount());
    }

    @Test
    void migrationsRunSafelyFromSeveralNodesStartingAtOnceOnAFreshDatabase() throws Exception {
        int starters = 6;
        try (TestDatabase fresh = TestDatabases.create(dialect())) {
            ExecutorService pool = Executors.newFixedThreadPool(starters);
            List<Stores> opened = new ArrayList<>();
            try {
                // Like nodes starting at once: each opens its own pool and migrates at the same moment.
                CyclicBarrier start = new CyclicBarrier(starters);
                List<Future<Stores>> opening = new ArrayList<>();
                for (int i = 0; i < starters; i++) {
                    Callable<Stores> open = () -> {
                        start.await();
                        HikariDataSource ds = JdbcStores.pool(fresh.jdbcUrl(), fresh.user(), fresh.password(), 2);
                        try {
                            return JdbcStores.open(ds, dialect(), ds);
                        } catch (RuntimeException e) {
                            ds.close();
                            throw e;
                        }
                    };
                    opening.add(pool.submit(open));
                }
                List<Throwable> failures = new ArrayList<>();
                for (Future<Stores> f : opening) {
                    try {
                        opened.add(f.get(2, TimeUnit.MINUTES));
                    } catch (ExecutionException e) {
                        failures.add(e.getCause());
                    }
                }
                assertThat(failures).as("failures of nodes starting at once").isEmpty();
                assertThat(opened).hasSize(starters);
                assertThat(migrationRows(fresh.dataSource())).isEqualTo(migrationCount());
                long id = opened.getFirst().jobs().jobInsertMany(null, List.of(job("after-migration"))).getFirst();
                assertThat(opened.getLast().jobs().jobGet(id)).isPresent();
            } finally {
                pool.shutdownNow();
                for (Stores s : opened) {
                    s.close();
                }
            }
        }
    }

    @Test
    void streamRepairLetsTheHeadOfEachStalledStreamGoAndLeavesHealthyStreamsAlone() throws SQLException {
        List<Long> stalledA = jobs.jobInsertMany(null, List.of(streamJob("repair", "stalled-a", null),
                streamJob("repair", "stalled-a", null), streamJob("repair", "stalled-a", null)));
        List<Long> stalledB = jobs.jobInsertMany(null, List.of(streamJob("repair", "stalled-b", null),
                streamJob("repair", "stalled-b", null)));
        List<Long> healthy = jobs.jobInsertMany(null, List.of(streamJob("repair", "healthy", null),
                streamJob("repair", "healthy", null)));
        // A stream stalls when its active job vanishes without letting the next go (a bug, or a hand edit).
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM sluice_job WHERE id IN (" + stalledA.getFirst() + ", " + stalledB.getFirst() + ")");
        }

        assertThat(jobs.jobStreamRepair(100)).isEqualTo(2);

        assertThat(jobs.jobGet(stalledA.get(1)).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        assertThat(jobs.jobGet(stalledA.get(2)).orElseThrow().state()).isEqualTo(JobState.BLOCKED);
        assertThat(jobs.jobGet(stalledB.get(1)).orElseThrow().state()).isEqualTo(JobState.AVAILABLE);
        assertThat(jobs.jobGet(healthy.get(1)).orElseThrow().state()).isEqualTo(JobState.BLOCKED);
        assertThat(jobs.jobStreamRepair(100)).as("nothing stalled any more").isZero();
    }

    // -------------------------------------------------------------------------------- helpers

    private static NewJob job(String kind) {
        return job(kind, "{}");
    }

    private static NewJob job(String kind, String payload) {
        return new NewJob(kind, QUEUE, "available", 0, payload, "[]", 5, null, 0);
    }

    private static NewJob streamJob(String kind, String stream, String key) {
        return new NewJob(kind, QUEUE, "available", 0, "{}", "[]", 5, null, 0, key, false, stream, 1);
    }

    private static NewJob scheduled(String kind, int priority, long runAtMillis) {
        return new NewJob(kind, QUEUE, "scheduled", priority, "{}", "[]", 5, runAtMillis, 0);
    }

    private long insert(NewJob job) {
        return jobs.jobInsertMany(null, List.of(job)).getFirst();
    }

    private List<Job> fetch(String owner, int limit, String... kinds) {
        return fetchLeased(owner, limit, LEASE_MS, kinds);
    }

    private List<Job> fetchLeased(String owner, int limit, long leaseMillis, String... kinds) {
        return jobs.jobFetchAvailable(new FetchParams(QUEUE, List.of(kinds), limit, owner, leaseMillis));
    }

    private long claimOne(String kind, String owner) {
        return claimOne(kind, owner, LEASE_MS);
    }

    /** Inserts one job of {@code kind} and claims it as {@code owner}; other jobs of the kind must not wait. */
    private long claimOne(String kind, String owner, long leaseMillis) {
        long id = insert(job(kind));
        assertThat(fetchLeased(owner, 1, leaseMillis, kind)).extracting(Job::id).containsExactly(id);
        return id;
    }

    private static JobRescue rescue(long id, String expiredOwner, String state) {
        return new JobRescue(id, expiredOwner, state, 0, "[{\"attempt\":1,\"message\":\"lease expired\"}]");
    }

    private static Set<Long> ids(List<Job> list) {
        Set<Long> out = new HashSet<>();
        list.forEach(j -> out.add(j.id()));
        return out;
    }

    private static NodeInfo node(String id, List<String> kinds, List<String> queues) {
        return new NodeInfo(id, "test-host", kinds, queues, Instant.now(), Instant.now());
    }

    private NodeInfo live(String id) {
        return stores.nodes().nodeListLive(Duration.ofHours(1)).stream().filter(n -> n.id().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("node " + id + " is not live"));
    }

    private Stores openOwnStores(int poolSize) {
        HikariDataSource pool = JdbcStores.pool(db.jdbcUrl(), db.user(), db.password(), poolSize);
        return JdbcStores.open(pool, dialect(), pool);
    }

    private static long migrationRows(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), COUNT(DISTINCT version) FROM sluice_migration")) {
            rs.next();
            assertThat(rs.getLong(2)).as("one row per migration").isEqualTo(rs.getLong(1));
            return rs.getLong(1);
        }
    }

    private long migrationCount() {
        String path = "dev/sluice/sql/" + dialect().dir() + "/migrations/index";
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
