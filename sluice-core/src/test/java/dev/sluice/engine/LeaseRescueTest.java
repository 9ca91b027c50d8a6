package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.Job;
import dev.sluice.job.JobError;
import dev.sluice.job.JobHandler;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobRequest;
import dev.sluice.job.JobState;
import dev.sluice.job.KindOptions;
import dev.sluice.job.RetryPolicy;
import dev.sluice.store.FetchParams;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import dev.sluice.store.JobStore;
import dev.sluice.store.Stores;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcStores;
import dev.sluice.testing.NodesOnOneDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What happens to the jobs of a node that dies or is cut off, on every dialect. A dead node is
 * played by the store itself: it claims jobs under its own owner name and then never renews
 * them. The live node is a real engine, and the maintenance leader because it is the only one.
 */
abstract class LeaseRescueTest extends NodesOnOneDatabase {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final long SHORT_LEASE_MS = 500;
    private static final KindOptions QUICK_RETRY =
            KindOptions.defaults().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50)));

    record Work(String name) {
    }

    private Stores stores;

    @BeforeAll
    void openStores() {
        stores = JdbcStores.open(db.dataSource(), dialect(), () -> { });
    }

    @AfterAll
    void closeStores() throws Exception {
        if (stores != null) {
            stores.close();
        }
    }

    private Sluice.Builder builder() {
        return db.sluice()
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .heartbeatInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(5))
                .maintenanceInterval(Duration.ofMillis(300))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    /** Enqueues without running anything: the node has no handlers and is not started. */
    private long enqueue(JobRequest request) {
        Sluice producer = builder().build();
        nodes.add(producer);
        return producer.enqueue(request);
    }

    private JobStore jobs() {
        return stores.jobs();
    }

    /** Claims job {@code id} as {@code owner}, which will never renew the lease. */
    private Job claimAs(String owner, long id, String kind) {
        List<Job> claimed = jobs().jobFetchAvailable(new FetchParams("default", List.of(kind), 1, owner, SHORT_LEASE_MS));
        assertThat(claimed).extracting(Job::id).containsExactly(id);
        return claimed.getFirst();
    }

    private Job awaitState(long id, JobState state) {
        await().atMost(WAIT).until(() -> jobs().jobGet(id).map(Job::state).orElse(null) == state);
        return jobs().jobGet(id).orElseThrow();
    }

    @Test
    void jobOfADeadNodeIsRescuedAfterItsLeaseExpiresAndRunToCompletion() {
        long id = enqueue(JobRequest.of("orphaned", new Work("x")));
        claimAs("dead-node", id, "orphaned");
        AtomicInteger runs = new AtomicInteger();
        Sluice live = started(builder().nodeId("live-node").handler("orphaned", Work.class, (w, ctx) -> {
            runs.incrementAndGet();
            return JobOutcome.success("done by live-node");
        }, QUICK_RETRY));

        Job job = awaitState(id, JobState.COMPLETED);

        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.result()).isEqualTo("\"done by live-node\"");
        assertThat(job.errors()).singleElement().satisfies(e -> {
            assertThat(e.message()).contains("lease expired").contains("dead-node");
            assertThat(e.node()).isEqualTo("dead-node");
            assertThat(e.attempt()).isEqualTo(1);
        });
        assertThat(runs).hasValue(1);
        assertThat(live.isLeader()).isTrue();
    }

    @Test
    void lateCompletionFromANodeThatLostItsLeaseIsDropped() throws Exception {
        long id = enqueue(JobRequest.of("contested", new Work("x")));
        claimAs("node-a", id, "contested");
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch releaseB = new CountDownLatch(1);
        started(builder().nodeId("node-b").handler("contested", Work.class, (w, ctx) -> {
            bStarted.countDown();
            releaseB.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return JobOutcome.success("by b");
        }, QUICK_RETRY));
        assertThat(bStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("node-b runs the rescued job").isTrue();
        Job whileBRuns = jobs().jobGet(id).orElseThrow();

        List<FinishResult> late = jobs().jobFinishMany("node-a", List.of(
                new JobFinish(id, 1, "completed", 0, "\"by a\"", null)));

        assertThat(late).containsExactly(new FinishResult(id, false, null));
        assertThat(jobs().jobGet(id).orElseThrow()).as("node-b's attempt is untouched").isEqualTo(whileBRuns);
        assertThat(whileBRuns.leaseOwner()).isEqualTo("node-b");
        assertThat(jobs().jobHandBack(id, 1, "node-a")).isFalse();
        assertThat(jobs().jobRenewLeases("node-a", List.of(id), Duration.ofMinutes(1))).isZero();

        releaseB.countDown();
        Job done = awaitState(id, JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("\"by b\"");
        assertThat(done.attempt()).isEqualTo(2);

        List<FinishResult> later = jobs().jobFinishMany("node-a", List.of(
                new JobFinish(id, 1, "retryable", 0, null, "[]")));
        assertThat(later).containsExactly(new FinishResult(id, false, null));
        assertThat(jobs().jobGet(id).orElseThrow()).isEqualTo(done);
    }

    @Test
    void nodeThatLostTheLeaseOfARunningJobStopsItsHandlerAndWritesNothing() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        started(builder().nodeId("node-a").handler("taken-over", Work.class, (w, ctx) -> {
            started.countDown();
            try {
                Thread.sleep(WAIT.toMillis());
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return JobOutcome.success("by a");
        }, QUICK_RETRY));
        Sluice producer = builder().build();
        nodes.add(producer);
        long id = producer.enqueue("taken-over", new Work("x"));
        assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        giveLeaseTo(id, "node-b"); // as if node-a had been cut off and node-b had rescued and claimed it

        assertThat(interrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("node-a's heartbeat finds the lease gone and stops the handler").isTrue();
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> {
            Job j = jobs().jobGet(id).orElseThrow();
            return j.state() == JobState.RUNNING && "node-b".equals(j.leaseOwner()) && j.attempt() == 1;
        });
    }

    @Test
    void jobWhoseAttemptsAreSpentWhenItsLeaseExpiresIsDiscarded() {
        long id = enqueue(JobRequest.of("last-chance", new Work("x")).maxAttempts(1));
        claimAs("dead-node", id, "last-chance");
        AtomicInteger runs = new AtomicInteger();
        started(builder().handler("last-chance", Work.class, (w, ctx) -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }, QUICK_RETRY));

        Job job = awaitState(id, JobState.DISCARDED);

        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.finishedAt()).isNotNull();
        assertThat(job.leaseOwner()).isNull();
        assertThat(job.errors()).extracting(JobError::message).singleElement()
                .satisfies(m -> assertThat(m).contains("lease expired"));
        assertThat(runs).hasValue(0);
    }

    @Test
    void staleAttemptDoesNotFinishTheJobItsOwnNodeClaimedAgain() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        // Renewal every 20 s: the lease this test takes away is not given back in the meantime.
        Sluice nodeA = started(builder().nodeId("node-a").heartbeatInterval(Duration.ofSeconds(20)).leaseDuration(Duration.ofMinutes(1))
                .handler("reclaimed", Work.class, (w, ctx) -> {
                    if (ctx.attempt() == 1) {
                        firstStarted.countDown();
                        releaseFirst.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                        return JobOutcome.success("attempt 1");
                    }
                    secondStarted.countDown();
                    releaseSecond.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    return JobOutcome.success("attempt " + ctx.attempt());
                }, QUICK_RETRY));
        long id = nodeA.enqueue("reclaimed", new Work("x"));
        assertThat(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        expireLease(id); // as if node-a had been cut off from the database for a while
        assertThat(secondStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("rescued and claimed again by the same node").isTrue();
        releaseFirst.countDown();

        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> {
            Job j = jobs().jobGet(id).orElseThrow();
            return j.state() == JobState.RUNNING && j.attempt() == 2;
        });
        releaseSecond.countDown();
        Job done = awaitState(id, JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("\"attempt 2\"");
        assertThat(done.attempt()).isEqualTo(2);
    }

    @Test
    void staleAttemptIsStoppedAsSoonAsItsOwnNodeClaimsTheJobAgain() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch firstInterrupted = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        // Renewal every 20 s: the lease this test takes away is not given back, and no heartbeat
        // looks at the leases while the test runs.
        Sluice nodeA = started(builder().nodeId("node-a").heartbeatInterval(Duration.ofSeconds(20))
                .leaseDuration(Duration.ofMinutes(1))
                .handler("reclaimed-stale", Work.class, firstStuckThenHeld(firstStarted, firstInterrupted, secondStarted, releaseSecond), QUICK_RETRY));
        long id = nodeA.enqueue("reclaimed-stale", new Work("x"));
        assertThat(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        expireLease(id); // as if node-a had been cut off from the database for a while
        assertThat(secondStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("rescued and claimed again by the same node").isTrue();

        assertThat(firstInterrupted.await(5, TimeUnit.SECONDS)).as("the first attempt is stopped").isTrue();
        releaseSecond.countDown();
        Job done = awaitState(id, JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("\"attempt 2\"");
    }

    @Test
    void heartbeatStopsEveryAttemptWhoseLeaseIsGoneThoughANewerOneOfItsJobRunsBeside() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch firstInterrupted = new CountDownLatch(1);
        CountDownLatch thirdStarted = new CountDownLatch(1);
        CountDownLatch releaseThird = new CountDownLatch(1);
        // Heartbeats far apart and fetches close together: the job is claimed again between two
        // heartbeats, so only a heartbeat that sees both attempts stops the first.
        Sluice nodeA = started(builder().nodeId("node-a").heartbeatInterval(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(10), Duration.ofMillis(20)).leaseDuration(Duration.ofMinutes(1))
                .handler("reclaimed-twice", Work.class, firstStuckThenHeld(firstStarted, firstInterrupted, thirdStarted, releaseThird), QUICK_RETRY));
        long id = nodeA.enqueue("reclaimed-twice", new Work("x"));
        assertThat(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        // As if node-a had been cut off, the job rescued, run by a node that was cut off in its
        // turn, and rescued again: the next claim is attempt 3.
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sluice_job SET state = 'available', attempt = 2,"
                     + " lease_owner = NULL, lease_until = NULL WHERE id = ?")) {
            ps.setLong(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(thirdStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .as("claimed again by the same node").isTrue();

        assertThat(firstInterrupted.await(10, TimeUnit.SECONDS)).as("the first attempt is stopped").isTrue();
        releaseThird.countDown();
        Job done = awaitState(id, JobState.COMPLETED);
        assertThat(done.result()).isEqualTo("\"attempt 3\"");
    }

    @Test
    void jobLeasedToANodeThatDoesNotRunItIsHandedBackAndRunsWithoutSpendingAnAttempt() {
        long id = enqueue(JobRequest.of("unregistered", new Work("x")));
        // As if a fetch of node-a had claimed the job and no worker of node-a had ever got it.
        // Its lease (3 s) falls within node-a's renewal window (2.5 s) at once.
        List<Job> claimed = jobs().jobFetchAvailable(new FetchParams("default", List.of("unregistered"), 1, "node-a",
                3_000));
        assertThat(claimed).extracting(Job::id).containsExactly(id);
        AtomicInteger runs = new AtomicInteger();
        started(builder().nodeId("node-a").handler("unregistered", Work.class, (w, ctx) -> {
            runs.incrementAndGet();
            return JobOutcome.success("ran");
        }, QUICK_RETRY));

        Job job = awaitState(id, JobState.COMPLETED);

        assertThat(job.attempt()).as("handed back, not rescued").isEqualTo(1);
        assertThat(job.errors()).isEmpty();
        assertThat(runs).hasValue(1);
    }

    @Test
    void prefetchedJobsWaitingForASlotLongerThanALeaseKeepTheirLeases() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Sluice node = started(builder().nodeId("node-a").queue("default", 1).prefetch(3)
                .leaseDuration(Duration.ofSeconds(1)).heartbeatInterval(Duration.ofMillis(200))
                .handler("queued-up", Work.class, (w, ctx) -> {
                    runs.incrementAndGet();
                    if (w.name().equals("first")) {
                        firstStarted.countDown();
                        releaseFirst.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    }
                    return JobOutcome.success();
                }, QUICK_RETRY));
        long first = node.enqueue("queued-up", new Work("first"));
        assertThat(firstStarted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        List<Long> waiting = node.enqueueAll(List.of(JobRequest.of("queued-up", new Work("a")),
                JobRequest.of("queued-up", new Work("b"))));
        await().atMost(WAIT).until(() -> waiting.stream()
                .allMatch(id -> jobs().jobGet(id).orElseThrow().state() == JobState.RUNNING));

        Thread.sleep(3_000); // three leases, while the prefetched jobs wait for the only slot
        releaseFirst.countDown();

        for (long id : List.of(first, waiting.get(0), waiting.get(1))) {
            Job job = awaitState(id, JobState.COMPLETED);
            assertThat(job.attempt()).as("attempts of job %d", id).isEqualTo(1);
            assertThat(job.errors()).isEmpty();
        }
        assertThat(runs).hasValue(3);
    }

    private void giveLeaseTo(long id, String owner) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sluice_job SET lease_owner = ? WHERE id = ?")) {
            ps.setString(1, owner);
            ps.setLong(2, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private void expireLease(long id) throws SQLException {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sluice_job SET lease_until = lease_until - 3600000 WHERE id = ?")) {
            ps.setLong(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    /**
     * A handler whose attempt 1 sleeps until it is interrupted (counting both moments down), and
     * whose later attempts count {@code laterStarted} down, wait for {@code releaseLater} and
     * succeed with "attempt N".
     */
    private static JobHandler<Work> firstStuckThenHeld(CountDownLatch firstStarted, CountDownLatch firstInterrupted,
                                                       CountDownLatch laterStarted, CountDownLatch releaseLater) {
        return (w, ctx) -> {
            if (ctx.attempt() == 1) {
                firstStarted.countDown();
                try {
                    Thread.sleep(WAIT.toMillis());
                } catch (InterruptedException e) {
                    firstInterrupted.countDown();
                    throw e;
                }
                return JobOutcome.success("attempt 1");
            }
            laterStarted.countDown();
            releaseLater.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return JobOutcome.success("attempt " + ctx.attempt());
        };
    }
}
