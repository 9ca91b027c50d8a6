package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.CancelResult;
import dev.sluice.job.InvalidJobException;
import dev.sluice.job.Job;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobRequest;
import dev.sluice.job.JobState;
import dev.sluice.job.KindOptions;
import dev.sluice.job.PayloadTooLargeException;
import dev.sluice.internal.Json;
import dev.sluice.job.RawJson;
import dev.sluice.job.RetryPolicy;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.testing.NodesOnOneDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the engine promises, on every dialect. Each subclass names a database; each test builds
 * its own node on a fresh set of kinds, so tests never see each other's jobs.
 */
abstract class EngineBehaviourTest extends NodesOnOneDatabase {
    private static final Duration WAIT = Duration.ofSeconds(20);

    record Greeting(String name) {
    }

    private Sluice.Builder builder() {
        return db.sluice()
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .heartbeatInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(5))
                .maintenanceInterval(Duration.ofMillis(300))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    private Job awaitState(Sluice s, long id, JobState state) {
        await().atMost(WAIT).until(() -> s.job(id).map(Job::state).orElse(null) == state);
        return s.job(id).orElseThrow();
    }

    @Test
    void enqueuedJobRunsOnceAndCompletesWithItsResult() {
        AtomicInteger runs = new AtomicInteger();
        Sluice s = started(builder().handler("greet", Greeting.class, (g, ctx) -> {
            runs.incrementAndGet();
            return JobOutcome.success(Map.of("said", "hello " + g.name()));
        }));
        long id = s.enqueue("greet", new Greeting("Ada"));
        Job job = awaitState(s, id, JobState.COMPLETED);
        assertThat(job.result()).isEqualTo("{\"said\":\"hello Ada\"}");
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.finishedAt()).isNotNull();
        assertThat(job.leaseOwner()).isNull();
        assertThat(runs).hasValue(1);
    }

    @Test
    void exceptionIsRetriedWithBackoffUntilSuccessKeepingTheErrorHistory() {
        Sluice s = started(builder().handler("flaky", Greeting.class, (g, ctx) -> {
            if (ctx.attempt() < 3) {
                throw new IllegalStateException("boom " + ctx.attempt());
            }
            return JobOutcome.success();
        }, KindOptions.defaults().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(50)))));
        long id = s.enqueue("flaky", new Greeting("x"));
        Job job = awaitState(s, id, JobState.COMPLETED);
        assertThat(job.attempt()).isEqualTo(3);
        assertThat(job.errors()).extracting(e -> e.message())
                .containsExactly("java.lang.IllegalStateException: boom 1", "java.lang.IllegalStateException: boom 2");
        assertThat(job.errors()).extracting(e -> e.attempt()).containsExactly(1, 2);
    }

    @Test
    void retryLaterWaitsForTheGivenDelay() {
        Map<Integer, Instant> starts = new ConcurrentHashMap<>();
        Sluice s = started(builder().handler("later", Greeting.class, (g, ctx) -> {
            starts.put(ctx.attempt(), Instant.now());
            return ctx.attempt() == 1 ? JobOutcome.retryLater(Duration.ofMillis(700), "not yet") : JobOutcome.success();
        }));
        long id = s.enqueue("later", new Greeting("x"));
        awaitState(s, id, JobState.COMPLETED);
        assertThat(Duration.between(starts.get(1), starts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(650));
        assertThat(s.job(id).orElseThrow().lastError()).isEqualTo("not yet");
    }

    @Test
    void permanentFailureDiscardsAtOnceWithItsMessage() {
        Sluice s = started(builder().handler("doomed", Greeting.class, (g, ctx) -> JobOutcome.fail("no such user")));
        long id = s.enqueue(JobRequest.of("doomed", new Greeting("x")).maxAttempts(5));
        Job job = awaitState(s, id, JobState.DISCARDED);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).isEqualTo("no such user");
    }

    @Test
    void lastAttemptFailingDiscardsTheJob() {
        Sluice s = started(builder().handler("always-fails", Greeting.class, (g, ctx) -> {
            throw new RuntimeException("down");
        }, KindOptions.defaults().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(10)))));
        long id = s.enqueue(JobRequest.of("always-fails", new Greeting("x")).maxAttempts(3));
        Job job = awaitState(s, id, JobState.DISCARDED);
        assertThat(job.attempt()).isEqualTo(3);
        assertThat(job.errors()).hasSize(3);
        assertThat(job.lastError()).contains("down").contains("none left");
    }

    @Test
    void delayedJobWaitsUntilItsTimeAndThenStartsPromptly() {
        Map<Long, Instant> started = new ConcurrentHashMap<>();
        Sluice s = started(builder().handler("delayed", Greeting.class, (g, ctx) -> {
            started.put(ctx.jobId(), Instant.now());
            return JobOutcome.success();
        }));
        Instant enqueued = Instant.now();
        long id = s.enqueue(JobRequest.of("delayed", new Greeting("x")).delay(Duration.ofMillis(1500)));
        assertThat(s.job(id).orElseThrow().state()).isEqualTo(JobState.SCHEDULED);
        awaitState(s, id, JobState.COMPLETED);
        Duration waited = Duration.between(enqueued, started.get(id));
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(1400)).isLessThan(Duration.ofMillis(3000));
    }

    @Test
    void higherPriorityRunsFirst() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        Sluice producer = builder().build();
        nodes.add(producer);
        List<JobRequest> requests = new ArrayList<>();
        for (int p : new int[] {1, 5, 3, 9, 0}) {
            requests.add(JobRequest.of("prio", new Greeting("p" + p)).priority(p));
        }
        producer.enqueueAll(requests);
        Sluice s = started(builder().queue("default", 1).handler("prio", Greeting.class, (g, ctx) -> {
            order.add(g.name());
            return JobOutcome.success();
        }));
        await().atMost(WAIT).until(() -> order.size() == 5);
        assertThat(order).containsExactly("p9", "p5", "p3", "p1", "p0");
        assertThat(s).isNotNull();
    }

    @Test
    void cancelledWaitingJobNeverRuns() {
        AtomicInteger runs = new AtomicInteger();
        Sluice s = started(builder().handler("never", Greeting.class, (g, ctx) -> {
            runs.incrementAndGet();
            return JobOutcome.success();
        }));
        long id = s.enqueue(JobRequest.of("never", new Greeting("x")).delay(Duration.ofMillis(500)));
        assertThat(s.cancel(id)).isEqualTo(CancelResult.CANCELLED);
        assertThat(s.job(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        await().pollDelay(Duration.ofMillis(1200)).atMost(WAIT).until(() -> true);
        assertThat(runs).hasValue(0);
        assertThat(s.cancel(id)).isEqualTo(CancelResult.NOT_CANCELLABLE);
    }

    @Test
    void cancelledRunningJobSeesTheSignalAndEndsCancelled() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger sawCancel = new AtomicInteger();
        Sluice s = started(builder().handler("long", Greeting.class, (g, ctx) -> {
            started.countDown();
            while (!ctx.isCancelled()) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    break;
                }
            }
            sawCancel.incrementAndGet();
            return JobOutcome.retryLater("stopped");
        }));
        long id = s.enqueue("long", new Greeting("x"));
        await().atMost(WAIT).until(() -> started.getCount() == 0);
        assertThat(s.cancel(id)).isEqualTo(CancelResult.REQUESTED);
        Job job = awaitState(s, id, JobState.CANCELLED);
        assertThat(sawCancel).hasValue(1);
        assertThat(job.cancelRequested()).isTrue();
    }

    @Test
    void cancellationFromAnotherNodeReachesTheRunningHandler() {
        CountDownLatch started = new CountDownLatch(1);
        Sluice runner = started(builder().handler("remote-cancel", Greeting.class, (g, ctx) -> {
            started.countDown();
            while (!ctx.isCancelled()) {
                Thread.sleep(10);
            }
            return JobOutcome.success();
        }));
        Sluice other = builder().build();
        nodes.add(other);
        long id = other.enqueue("remote-cancel", new Greeting("x"));
        await().atMost(WAIT).until(() -> started.getCount() == 0);
        assertThat(other.cancel(id)).isEqualTo(CancelResult.REQUESTED);
        awaitState(runner, id, JobState.CANCELLED);
    }

    @Test
    void shutdownHandsRunningJobsBackWithoutSpendingAnAttempt() {
        CountDownLatch started = new CountDownLatch(1);
        Sluice s = builder().shutdownGrace(Duration.ofMillis(300)).handler("stuck", Greeting.class, (g, ctx) -> {
            started.countDown();
            Thread.sleep(60_000);
            return JobOutcome.success();
        }).build().start();
        long id = s.enqueue("stuck", new Greeting("x"));
        await().atMost(WAIT).until(() -> started.getCount() == 0);
        s.close();
        s.close(); // idempotent
        Sluice reader = builder().build();
        nodes.add(reader);
        Job job = reader.job(id).orElseThrow();
        assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
        assertThat(job.attempt()).isZero();
        assertThat(job.leaseOwner()).isNull();
        assertThat(job.errors()).isEmpty();
    }

    @Test
    void prefetchRunsEveryJobOnceWithFewSlots() {
        Map<String, Integer> runs = new ConcurrentHashMap<>();
        AtomicInteger atOnce = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Sluice s = started(builder().queue("default", 2).prefetch(10).handler("pre", Greeting.class, (g, ctx) -> {
            mostAtOnce.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            runs.merge(g.name(), 1, Integer::sum);
            Thread.sleep(2);
            atOnce.decrementAndGet();
            return JobOutcome.success();
        }));
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            requests.add(JobRequest.of("pre", new Greeting("g" + i)));
        }
        List<Long> ids = s.enqueueAll(requests);
        ids.forEach(id -> awaitState(s, id, JobState.COMPLETED));
        assertThat(runs).hasSize(50).allSatisfy((name, n) -> assertThat(n).isEqualTo(1));
        assertThat(mostAtOnce.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void shutdownHandsBackPrefetchedJobsThatNeverStarted() {
        CountDownLatch started = new CountDownLatch(1);
        Sluice s = builder().queue("default", 1).prefetch(5).shutdownGrace(Duration.ofMillis(300))
                .handler("held", Greeting.class, (g, ctx) -> {
                    started.countDown();
                    Thread.sleep(60_000);
                    return JobOutcome.success();
                }).build().start();
        List<Long> ids = s.enqueueAll(List.of(JobRequest.of("held", new Greeting("a")),
                JobRequest.of("held", new Greeting("b")), JobRequest.of("held", new Greeting("c"))));
        await().atMost(WAIT).until(() -> started.getCount() == 0
                && ids.stream().allMatch(id -> s.job(id).orElseThrow().state() == JobState.RUNNING));
        s.close();
        Sluice reader = builder().build();
        nodes.add(reader);
        for (long id : ids) {
            Job job = reader.job(id).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
            assertThat(job.attempt()).isZero();
            assertThat(job.leaseOwner()).isNull();
        }
    }

    @Test
    void shutdownLetsShortJobsFinishWithinTheGrace() {
        CountDownLatch started = new CountDownLatch(1);
        Sluice s = builder().shutdownGrace(Duration.ofSeconds(5)).handler("short", Greeting.class, (g, ctx) -> {
            started.countDown();
            Thread.sleep(300);
            return JobOutcome.success();
        }).build().start();
        long id = s.enqueue("short", new Greeting("x"));
        await().atMost(WAIT).until(() -> started.getCount() == 0);
        s.close();
        Sluice reader = builder().build();
        nodes.add(reader);
        assertThat(reader.job(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
    }

    @Test
    void timedOutAttemptIsInterruptedAndRetried() {
        Sluice s = started(builder().handler("slow", Greeting.class, (g, ctx) -> {
            if (ctx.attempt() == 1) {
                Thread.sleep(10_000);
            }
            return JobOutcome.success();
        }, KindOptions.defaults().timeout(Duration.ofMillis(200)).retryPolicy(RetryPolicy.fixed(Duration.ofMillis(10)))));
        long id = s.enqueue("slow", new Greeting("x"));
        Job job = awaitState(s, id, JobState.COMPLETED);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(job.errors().getFirst().message()).contains("timed out after PT0.2S");
    }

    @Test
    void progressReportsAreSaved() {
        CountDownLatch release = new CountDownLatch(1);
        Sluice s = started(builder().handler("progress", Greeting.class, (g, ctx) -> {
            ctx.progress(0.25, "a quarter");
            release.await(10, TimeUnit.SECONDS);
            return JobOutcome.success();
        }));
        long id = s.enqueue("progress", new Greeting("x"));
        await().atMost(WAIT).until(() -> s.job(id).map(Job::progress).orElse(null) != null);
        Job job = s.job(id).orElseThrow();
        assertThat(job.progress()).isEqualTo(0.25);
        assertThat(job.progressMessage()).isEqualTo("a quarter");
        release.countDown();
        awaitState(s, id, JobState.COMPLETED);
    }

    @Test
    void payloadThatDoesNotDecodeIsDiscardedWithAClearErrorNotRetried() {
        Sluice s = started(builder().handler("typed", Greeting.class, (g, ctx) -> JobOutcome.success()));
        long id = s.enqueue(JobRequest.of("typed", new RawJson("[1, 2, 3]")));
        Job job = awaitState(s, id, JobState.DISCARDED);
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.lastError()).startsWith("payload does not decode as Greeting");
    }

    @Test
    void oversizedPayloadIsRejectedNamingItsSizeAndTheLimit() {
        Sluice s = builder().maxPayloadBytes(100).build();
        nodes.add(s);
        String big = "x".repeat(200);
        assertThatThrownBy(() -> s.enqueue("big", new Greeting(big)))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("211 bytes").hasMessageContaining("limit of 100 bytes");
        assertThat(s.jobs(JobQuery.all().kind("big")).jobs()).isEmpty();
    }

    @Test
    void invalidOptionsAreRejectedNamingTheOption() {
        Sluice s = builder().build();
        nodes.add(s);
        assertThatThrownBy(() -> s.enqueue(JobRequest.of("k", 1).delay(Duration.ofSeconds(-1))))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("delay:");
        assertThatThrownBy(() -> s.enqueue(JobRequest.of("k", 1).maxAttempts(0)))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("maxAttempts:");
        assertThatThrownBy(() -> s.enqueue(JobRequest.of("k", 1).queue("nowhere")))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("unknown queue 'nowhere'");
        assertThatThrownBy(() -> s.enqueue(JobRequest.of(" ", 1)))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("kind:");
        assertThatThrownBy(() -> s.enqueue(JobRequest.of("k", new RawJson("{oops"))))
                .isInstanceOf(InvalidJobException.class).hasMessageStartingWith("payload:");
        assertThatThrownBy(() -> s.enqueueAll(List.of(JobRequest.of("k", 1), JobRequest.of("k", 2).maxAttempts(-1))))
                .hasMessageContaining("job 1: maxAttempts");
        assertThat(s.jobs(JobQuery.all().kind("k")).jobs()).as("nothing half-enqueued").isEmpty();
    }

    @Test
    void aLargeBulkEnqueueWithABadRequestLateInTheListWritesNothing() {
        Sluice s = builder().maxPayloadBytes(100).build();
        nodes.add(s);
        List<JobRequest> requests = greetings("bulk-bad", 600);
        requests.set(450, JobRequest.of("bulk-bad", new Greeting("x".repeat(200))));

        assertThatThrownBy(() -> s.enqueueAll(requests))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("limit of 100 bytes");
        requests.set(450, JobRequest.of("bulk-bad", new Greeting("fine")));
        requests.set(500, JobRequest.of("bulk-bad", 1).queue("nowhere"));
        assertThatThrownBy(() -> s.enqueueAll(requests))
                .isInstanceOf(InvalidJobException.class).hasMessageContaining("job 500: unknown queue 'nowhere'");

        assertThat(s.jobs(JobQuery.all().kind("bulk-bad")).jobs()).as("nothing half-enqueued").isEmpty();
        requests.set(500, JobRequest.of("bulk-bad", new Greeting("fine too")));
        assertThat(s.enqueueAll(requests)).as("the connection is still fine").hasSize(600).doesNotHaveDuplicates();
        assertThat(s.job(s.enqueueAll(requests.subList(0, 300)).get(299)).orElseThrow().payload())
                .contains("g299");
    }

    @Test
    void inALargeBulkEnqueueTheFirstBadRequestIsReportedWhetherItsPayloadOrAnOptionIsBad() {
        Sluice s = builder().maxPayloadBytes(100).build();
        nodes.add(s);
        List<JobRequest> requests = greetings("bulk-order", 400);
        requests.set(300, JobRequest.of("bulk-order", 1).maxAttempts(0));
        requests.set(100, JobRequest.of("bulk-order", new Greeting("x".repeat(200))));

        assertThatThrownBy(() -> s.enqueueAll(requests)).as("the payload of job 100, before the option of job 300")
                .isInstanceOf(PayloadTooLargeException.class);
        requests.set(100, JobRequest.of("bulk-order", new Greeting("fine")));
        assertThatThrownBy(() -> s.enqueueAll(requests)).hasMessageContaining("job 300: maxAttempts");
        assertThat(s.jobs(JobQuery.all().kind("bulk-order")).jobs()).isEmpty();
    }

    /** {@code n} requests of {@code kind} greeting g0, g1, ...; a mutable list. */
    private static List<JobRequest> greetings(String kind, int n) {
        List<JobRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(JobRequest.of(kind, new Greeting("g" + i)));
        }
        return requests;
    }

    @Test
    void transactionalEnqueueRolledBackLeavesNoJob() throws Exception {
        Sluice s = builder().build();
        nodes.add(s);
        long kept;
        long rolledBack;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            rolledBack = s.enqueue(c, JobRequest.of("tx", new Greeting("gone")));
            c.rollback();
            kept = s.enqueue(c, JobRequest.of("tx", new Greeting("kept")));
            c.commit();
            c.setAutoCommit(true);
        }
        assertThat(s.jobs(JobQuery.all().kind("tx")).jobs()).extracting(Job::payload)
                .containsExactly("{\"name\":\"kept\"}");
        assertThat(s.job(kept)).isPresent();
        assertThat(rolledBack).isPositive();
    }

    @Test
    void discardedJobCanBeRetriedAndDeleted() {
        AtomicInteger runs = new AtomicInteger();
        Sluice s = started(builder().handler("second-chance", Greeting.class, (g, ctx) ->
                runs.incrementAndGet() == 1 ? JobOutcome.fail("first time") : JobOutcome.success()));
        long id = s.enqueue(JobRequest.of("second-chance", new Greeting("x")).maxAttempts(1));
        awaitState(s, id, JobState.DISCARDED);
        assertThat(s.retry(id)).isTrue();
        Job job = awaitState(s, id, JobState.COMPLETED);
        assertThat(job.attempt()).isEqualTo(2);
        assertThat(s.retry(id)).as("completed jobs are not retried").isFalse();
        assertThat(s.delete(id)).isTrue();
        assertThat(s.job(id)).isEmpty();
    }

    @Test
    void aLargeBulkEnqueueStoresEveryJobAsRequestedInRequestOrder() throws Exception {
        // Large enough for PostgreSQL's binary COPY path, with text that needs escaping elsewhere.
        Sluice s = builder().knownQueues("other").build();
        nodes.add(s);
        Instant runAt = Instant.now().plus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            JobRequest r = JobRequest.of("bulk", new Greeting("n\u00e9 \"" + i + "\"\t\\ \n\u2603"))
                    .priority(i % 7 - 3).maxAttempts(1 + i % 5).tags("t" + i % 3, "all");
            if (i % 3 == 1) {
                r = r.delay(Duration.ofMinutes(10)).queue("other");
            } else if (i % 3 == 2) {
                r = r.runAt(runAt);
            }
            requests.add(r);
        }
        Instant before = Instant.now().minusSeconds(5);
        List<Long> ids = s.enqueueAll(requests);
        assertThat(ids).hasSize(600).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < 600; i++) {
            Job job = s.job(ids.get(i)).orElseThrow();
            assertThat(job.kind()).isEqualTo("bulk");
            assertThat(Json.read(job.payload(), Greeting.class).name()).isEqualTo("n\u00e9 \"" + i + "\"\t\\ \n\u2603");
            assertThat(job.priority()).isEqualTo(i % 7 - 3);
            assertThat(job.maxAttempts()).isEqualTo(1 + i % 5);
            assertThat(job.tags()).containsExactly("t" + i % 3, "all");
            assertThat(job.createdAt()).isAfter(before);
            switch (i % 3) {
                case 0 -> assertThat(job.state()).isEqualTo(JobState.AVAILABLE);
                case 1 -> {
                    assertThat(job.queue()).isEqualTo("other");
                    assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
                    assertThat(job.runAt()).isBetween(job.createdAt().plus(Duration.ofMinutes(10)).minusMillis(1),
                            job.createdAt().plus(Duration.ofMinutes(10)).plusSeconds(1));
                }
                default -> {
                    assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
                    assertThat(job.runAt()).isEqualTo(runAt);
                }
            }
        }
    }

    @Test
    void listingPagesThroughJobsNewestFirstWithFilters() {
        Sluice s = builder().knownQueues("other").build();
        nodes.add(s);
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            requests.add(JobRequest.of("listed", i).queue(i % 5 == 0 ? "other" : "default"));
        }
        List<Long> ids = s.enqueueAll(requests);
        assertThat(ids).hasSize(25).isSorted().doesNotHaveDuplicates();
        var first = s.jobs(JobQuery.all().kind("listed").limit(10));
        assertThat(first.jobs()).extracting(Job::id).containsExactlyElementsOf(ids.reversed().subList(0, 10));
        var second = s.jobs(JobQuery.all().kind("listed").limit(10).after(first));
        var third = s.jobs(JobQuery.all().kind("listed").limit(10).after(second));
        assertThat(third.jobs()).hasSize(5);
        assertThat(third.hasMore()).isFalse();
        assertThat(s.jobs(JobQuery.all().kind("listed").queue("other")).jobs()).hasSize(5);
        assertThat(s.jobs(JobQuery.all().kind("listed").state(JobState.AVAILABLE)).jobs()).hasSize(25);
        assertThat(s.jobs(JobQuery.all().kind("listed").state(JobState.COMPLETED)).jobs()).isEmpty();
    }

    @Test
    void kindsWithWaitingJobsButNoLiveHandlerAreListed() {
        Sluice s = started(builder().handler("handled", Greeting.class, (g, ctx) -> JobOutcome.success()));
        s.enqueue("orphan-kind", new Greeting("x"));
        long handled = s.enqueue("handled", new Greeting("x"));
        awaitState(s, handled, JobState.COMPLETED);
        assertThat(s.kindsWithoutHandlers()).contains("orphan-kind").doesNotContain("handled");
        assertThat(s.job(handled)).isPresent();
    }

    @Test
    void metricsCountEveryOutcomeAndTimeEveryRun() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        Sluice s = started(builder().meterRegistry(registry).metricsInterval(Duration.ofMillis(200))
                .handler("metered", Greeting.class, (g, ctx) -> switch (g.name()) {
                    case "ok" -> JobOutcome.success();
                    case "bad" -> JobOutcome.fail("bad");
                    default -> ctx.attempt() == 1 ? JobOutcome.retryLater(Duration.ZERO, "again") : JobOutcome.success();
                }));
        long ok = s.enqueue("metered", new Greeting("ok"));
        long bad = s.enqueue("metered", new Greeting("bad"));
        long again = s.enqueue("metered", new Greeting("again"));
        awaitState(s, ok, JobState.COMPLETED);
        awaitState(s, bad, JobState.DISCARDED);
        awaitState(s, again, JobState.COMPLETED);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(registry.counter("sluice.jobs.enqueued", "queue", "default", "kind", "metered").count()).isEqualTo(3);
            assertThat(registry.counter("sluice.jobs.started", "queue", "default", "kind", "metered").count()).isEqualTo(4);
            assertThat(registry.counter("sluice.jobs.completed", "queue", "default", "kind", "metered").count()).isEqualTo(2);
            assertThat(registry.counter("sluice.jobs.discarded", "queue", "default", "kind", "metered").count()).isEqualTo(1);
            assertThat(registry.counter("sluice.jobs.retried", "queue", "default", "kind", "metered").count()).isEqualTo(1);
            assertThat(registry.timer("sluice.job.duration", "queue", "default", "kind", "metered").count()).isEqualTo(4);
            assertThat(registry.timer("sluice.job.wait", "queue", "default", "kind", "metered").count()).isEqualTo(4);
            assertThat(registry.find("sluice.jobs.depth").tag("state", "completed").gauge()).isNotNull();
        });
    }

    @Test
    void finishedJobsArePrunedAfterTheRetention() {
        Sluice s = started(builder().retention(Duration.ofMillis(500)).handler("pruned", Greeting.class,
                (g, ctx) -> JobOutcome.success()));
        long done = s.enqueue("pruned", new Greeting("x"));
        long waiting = s.enqueue(JobRequest.of("pruned", new Greeting("later")).delay(Duration.ofHours(1)));
        awaitState(s, done, JobState.COMPLETED);
        await().atMost(WAIT).until(() -> s.job(done).isEmpty());
        assertThat(s.job(waiting)).as("waiting jobs are never pruned").isPresent();
    }
}
