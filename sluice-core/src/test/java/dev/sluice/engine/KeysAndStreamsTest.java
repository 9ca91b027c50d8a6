package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.EnqueueResult;
import dev.sluice.job.Job;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobRequest;
import dev.sluice.job.JobState;
import dev.sluice.job.KeyPolicy;
import dev.sluice.job.KindOptions;
import dev.sluice.job.RateLimit;
import dev.sluice.job.RetryPolicy;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.testing.NodesOnOneDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Keys (the newest waiting job of a key is the one that runs), streams (one at a time, in enqueue
 * order, across nodes), concurrency limits and rate limits, on every dialect.
 */
abstract class KeysAndStreamsTest extends NodesOnOneDatabase {
    private static final Duration WAIT = Duration.ofSeconds(60);

    record Change(String key, int version) {
    }

    record Step(String stream, int seq) {
    }

    /** One run of a job: when it started and ended, and where. */
    record Run(long id, String stream, int seq, long startNanos, long endNanos) {
    }

    /** Streams and jobs per stream for the many-streams test; PostgreSQL runs the full 1,000 × 50. */
    abstract int[] manyStreamsShape();

    private Sluice.Builder builder() {
        return db.sluice()
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .heartbeatInterval(Duration.ofMillis(300))
                .leaseDuration(Duration.ofSeconds(10))
                .maintenanceInterval(Duration.ofMillis(500));
    }

    private Job awaitState(Sluice s, long id, JobState state) {
        await().atMost(WAIT).until(() -> s.job(id).map(Job::state).orElse(null) == state);
        return s.job(id).orElseThrow();
    }

    @Test
    void newerKeyedJobSupersedesTheWaitingOneAndOnlyTheNewestRuns() {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        Sluice producer = node(builder());
        long v1 = producer.enqueue(JobRequest.of("sync", new Change("k", 1)).key("customer:1"));
        EnqueueResult v2 = producer.enqueueDetailed(JobRequest.of("sync", new Change("k", 2)).key("customer:1"));
        assertThat(v2.inserted()).isTrue();
        assertThat(v2.superseded()).containsExactly(v1);
        assertThat(producer.job(v1).orElseThrow().state()).isEqualTo(JobState.SUPERSEDED);
        Sluice runner = node(builder().handler("sync", Change.class, (c, ctx) -> {
            ran.add(c.version());
            return JobOutcome.success();
        })).start();
        awaitState(runner, v2.id(), JobState.COMPLETED);
        assertThat(ran).containsExactly(2);
        assertThat(runner.job(v1).orElseThrow().key()).isEqualTo("customer:1");
    }

    @Test
    void runningJobOfAKeyIsLeftAloneAndFinishingItNeverHidesTheNewerOne() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        Sluice s = node(builder().handler("sync", Change.class, (c, ctx) -> {
            ran.add(c.version());
            if (c.version() == 1) {
                firstStarted.countDown();
                release.await(20, TimeUnit.SECONDS);
            }
            return JobOutcome.success();
        })).start();
        long v1 = s.enqueue(JobRequest.of("sync", new Change("k", 1)).key("customer:2"));
        assertThat(firstStarted.await(20, TimeUnit.SECONDS)).isTrue();
        EnqueueResult v2 = s.enqueueDetailed(JobRequest.of("sync", new Change("k", 2)).key("customer:2")
                .delay(Duration.ofMillis(300)));
        assertThat(v2.superseded()).as("a running job is never superseded").isEmpty();
        release.countDown();
        awaitState(s, v1, JobState.COMPLETED);
        awaitState(s, v2.id(), JobState.COMPLETED);
        assertThat(ran).containsExactly(1, 2);
    }

    @Test
    void keepExistingDropsTheNewJobAndNamesTheOneThatStands() {
        Sluice s = node(builder());
        long first = s.enqueue(JobRequest.of("keep", new Change("k", 1)).key("customer:3"));
        EnqueueResult second = s.enqueueDetailed(JobRequest.of("keep", new Change("k", 2))
                .key("customer:3", KeyPolicy.keepExisting()));
        assertThat(second.inserted()).isFalse();
        assertThat(second.id()).isEqualTo(first);
        assertThat(s.jobs(JobQuery.all().kind("keep")).jobs()).extracting(Job::id).containsExactly(first);
    }

    @Test
    void debounceRunsOnceAWindowAfterTheLastEnqueue() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        Map<Integer, Instant> started = new ConcurrentHashMap<>();
        Sluice s = node(builder().handler("debounced", Change.class, (c, ctx) -> {
            ran.add(c.version());
            started.put(c.version(), Instant.now());
            return JobOutcome.success();
        })).start();
        Instant last = null;
        long lastId = 0;
        for (int v = 1; v <= 5; v++) {
            lastId = s.enqueue(JobRequest.of("debounced", new Change("k", v))
                    .key("search:reindex", KeyPolicy.debounce(Duration.ofMillis(800))));
            last = Instant.now();
            Thread.sleep(100);
        }
        awaitState(s, lastId, JobState.COMPLETED);
        assertThat(ran).containsExactly(5);
        assertThat(Duration.between(last, started.get(5))).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void manyProducersOnSeveralNodesLeaveOnlyTheNewestOfEachKeyToRun() throws Exception {
        Map<String, List<Integer>> ran = new ConcurrentHashMap<>();
        for (int n = 0; n < 2; n++) {
            node(builder().handler("race", Change.class, (c, ctx) -> {
                ran.computeIfAbsent(c.key(), k -> new CopyOnWriteArrayList<>()).add(c.version());
                Thread.sleep(2);
                return JobOutcome.success();
            })).start();
        }
        List<Sluice> producers = List.of(node(builder()), node(builder()));
        int keys = 20;
        int perProducer = 30;
        AtomicInteger version = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(6, r -> new Thread(r, "test-producer"));
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Sluice producer = producers.get(t % 2);
            futures.add(pool.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    for (int k = 0; k < keys; k++) {
                        producer.enqueue(JobRequest.of("race", new Change("key-" + k, version.incrementAndGet()))
                                .key("race:" + k));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Sluice reader = producers.getFirst();
        await().atMost(WAIT).until(() -> DemoLikeListing.all(reader, "race").stream().allMatch(j -> j.state().isFinal()));
        List<Job> all = DemoLikeListing.all(reader, "race");
        Map<String, Job> newest = new HashMap<>();
        for (Job j : all) {
            newest.merge(j.key(), j, (a, b) -> a.id() > b.id() ? a : b);
        }
        assertThat(newest).hasSize(keys);
        for (Job j : newest.values()) {
            assertThat(j.state()).as("newest job of %s", j.key()).isEqualTo(JobState.COMPLETED);
            String key = "key-" + j.key().substring("race:".length());
            int newestVersion = dev.sluice.internal.Json.tree(j.payload()).get("version").asInt();
            assertThat(ran.get(key)).as("runs of %s", key).contains(newestVersion);
            assertThat(Collections.max(ran.get(key))).isEqualTo(newestVersion);
        }
        assertThat(all).allSatisfy(j -> assertThat(j.state()).isIn(JobState.COMPLETED, JobState.SUPERSEDED));
    }

    @Test
    void jobsOfOneStreamRunOneAtATimeInOrderAcrossNodes() {
        List<Run> runs = new CopyOnWriteArrayList<>();
        for (int n = 0; n < 3; n++) {
            node(builder().queue("default", 8).handler("step", Step.class, (st, ctx) -> {
                long start = System.nanoTime();
                Thread.sleep(3);
                runs.add(new Run(ctx.jobId(), st.stream(), st.seq(), start, System.nanoTime()));
                return JobOutcome.success();
            })).start();
        }
        Sluice producer = nodes.getFirst();
        List<JobRequest> requests = new ArrayList<>();
        for (int seq = 0; seq < 15; seq++) {
            for (int st = 0; st < 8; st++) {
                requests.add(JobRequest.of("step", new Step("s" + st, seq)).stream("s" + st));
            }
        }
        producer.enqueueAll(requests);
        await().atMost(WAIT).until(() -> runs.size() == requests.size());
        StreamRuns.assertNoOverlapsAndInOrder(runs, 1);
    }

    @Test
    void closingANodeMidStreamLosesNoJobAndTheNextNodeGoesOnInOrder() {
        // The closing node has next jobs of its streams claimed by its own completions (on
        // PostgreSQL) and prefetched; it must hand every one back for the next node. Leases last two
        // minutes, so a job it kept instead would not be rescued before the test gives up.
        List<Run> runs = new CopyOnWriteArrayList<>();
        Sluice.Builder worker = builder().leaseDuration(Duration.ofMinutes(2)).queue("default", 4).prefetch(8)
                .shutdownGrace(Duration.ofMillis(200))
                .handler("step", Step.class, (st, ctx) -> {
                    long start = System.nanoTime();
                    Thread.sleep(5);
                    runs.add(new Run(ctx.jobId(), st.stream(), st.seq(), start, System.nanoTime()));
                    return JobOutcome.success();
                });
        Sluice first = worker.build().start();
        Sluice producer = node(builder());
        List<JobRequest> requests = new ArrayList<>();
        for (int seq = 0; seq < 30; seq++) {
            for (int st = 0; st < 4; st++) {
                requests.add(JobRequest.of("step", new Step("c" + st, seq)).stream("c" + st));
            }
        }
        List<Long> ids = producer.enqueueAll(requests);
        await().atMost(WAIT).until(() -> runs.size() >= 20);
        first.close();
        node(worker).start();

        await().atMost(Duration.ofSeconds(30))
                .until(() -> ids.stream().allMatch(id -> producer.job(id).orElseThrow().state() == JobState.COMPLETED));
        StreamRuns.assertNoOverlapsAndInOrder(runs, 1);
        assertThat(runs.stream().map(Run::id).distinct().count()).isEqualTo(ids.size());
    }

    @Test
    void failedHeadHoldsItsStreamUntilItSucceeds() {
        List<Run> runs = new CopyOnWriteArrayList<>();
        Sluice s = node(builder().handler("step", Step.class, (st, ctx) -> {
            long start = System.nanoTime();
            if (st.seq() == 0 && ctx.attempt() == 1) {
                throw new IllegalStateException("first try fails");
            }
            runs.add(new Run(ctx.jobId(), st.stream(), st.seq(), start, System.nanoTime()));
            return JobOutcome.success();
        }, KindOptions.defaults().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(400))))).start();
        long head = s.enqueue(JobRequest.of("step", new Step("held", 0)).stream("held"));
        long next = s.enqueue(JobRequest.of("step", new Step("held", 1)).stream("held"));
        assertThat(s.job(next).orElseThrow().state()).isEqualTo(JobState.BLOCKED);
        awaitState(s, next, JobState.COMPLETED);
        assertThat(s.job(head).orElseThrow().attempt()).isEqualTo(2);
        assertThat(runs).extracting(Run::seq).containsExactly(0, 1);
    }

    @Test
    void cancellingAWaitingHeadLetsTheNextJobOfItsStreamGo() {
        Sluice s = node(builder().handler("step", Step.class, (st, ctx) -> JobOutcome.success())).start();
        long head = s.enqueue(JobRequest.of("step", new Step("c", 0)).stream("cancel-me").delay(Duration.ofHours(1)));
        long next = s.enqueue(JobRequest.of("step", new Step("c", 1)).stream("cancel-me"));
        assertThat(s.job(next).orElseThrow().state()).isEqualTo(JobState.BLOCKED);
        s.cancel(head);
        awaitState(s, next, JobState.COMPLETED);
    }

    @Test
    void enqueueAllLetsEachStreamStartUpToItsLimitAndBlocksTheRestInOrder() {
        // Its own kind: the jobs stay behind (nothing runs them), and no other test's node takes them.
        Sluice s = node(builder().handler("admit", Step.class, (st, ctx) -> JobOutcome.success()));
        List<JobRequest> requests = new ArrayList<>();
        for (int seq = 0; seq < 4; seq++) {
            requests.add(JobRequest.of("admit", new Step("one", seq)).stream("admit-one"));
            requests.add(JobRequest.of("admit", new Step("two", seq)).stream("admit-two", 2));
            requests.add(JobRequest.of("admit", new Step("plain", seq)));
        }
        List<Long> ids = s.enqueueAll(requests);
        List<Long> later = s.enqueueAll(List.of(JobRequest.of("admit", new Step("one", 4)).stream("admit-one"),
                JobRequest.of("admit", new Step("fresh", 0)).stream("admit-fresh")));

        List<JobState> states = ids.stream().map(id -> s.job(id).orElseThrow().state()).toList();
        assertThat(states).containsExactly(
                JobState.AVAILABLE, JobState.AVAILABLE, JobState.AVAILABLE,
                JobState.BLOCKED, JobState.AVAILABLE, JobState.AVAILABLE,
                JobState.BLOCKED, JobState.BLOCKED, JobState.AVAILABLE,
                JobState.BLOCKED, JobState.BLOCKED, JobState.AVAILABLE);
        assertThat(later).extracting(id -> s.job(id).orElseThrow().state())
                .as("a stream that already has its job active blocks the new one; a new stream starts")
                .containsExactly(JobState.BLOCKED, JobState.AVAILABLE);
        assertThat(s.job(ids.get(1)).orElseThrow().stream()).isEqualTo("admit-two");
    }

    @Test
    void streamWithALimitOfTwoRunsTwoAtATime() {
        List<Run> runs = new CopyOnWriteArrayList<>();
        Sluice s = node(builder().queue("default", 8).handler("step", Step.class, (st, ctx) -> {
            long start = System.nanoTime();
            Thread.sleep(30);
            runs.add(new Run(ctx.jobId(), st.stream(), st.seq(), start, System.nanoTime()));
            return JobOutcome.success();
        })).start();
        List<JobRequest> requests = new ArrayList<>();
        for (int seq = 0; seq < 12; seq++) {
            requests.add(JobRequest.of("step", new Step("pair", seq)).stream("pair", 2));
        }
        s.enqueueAll(requests);
        await().atMost(WAIT).until(() -> runs.size() == 12);
        assertThat(StreamRuns.maxConcurrent(runs)).isEqualTo(2);
    }

    @Test
    void keyPrefixLimitCapsConcurrencyOfKeyedJobs() {
        List<Run> runs = new CopyOnWriteArrayList<>();
        Sluice s = node(builder().queue("default", 8).concurrencyLimit("tenant-a:", 2)
                .handler("step", Step.class, (st, ctx) -> {
                    long start = System.nanoTime();
                    Thread.sleep(30);
                    runs.add(new Run(ctx.jobId(), st.stream(), st.seq(), start, System.nanoTime()));
                    return JobOutcome.success();
                })).start();
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            requests.add(JobRequest.of("step", new Step("tenant-a:", i)).key("tenant-a:" + i));
        }
        s.enqueueAll(requests);
        await().atMost(WAIT).until(() -> runs.size() == 10);
        assertThat(StreamRuns.maxConcurrent(runs)).isEqualTo(2);
        assertThat(s.job(runs.getFirst().id()).orElseThrow().stream()).isEqualTo("tenant-a:");
    }

    @Test
    void rateLimitPerKindIsNeverExceededInAnyWindow() {
        List<Long> ids = new CopyOnWriteArrayList<>();
        for (int n = 0; n < 2; n++) {
            node(builder().rateLimit(RateLimit.perKind("sms", 3, Duration.ofSeconds(1)))
                    .handler("sms", Step.class, (st, ctx) -> {
                        ids.add(ctx.jobId());
                        return JobOutcome.success();
                    })).start();
        }
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(JobRequest.of("sms", new Step("x", i)));
        }
        nodes.getFirst().enqueueAll(requests);
        await().atMost(WAIT).until(() -> ids.size() == 8);
        assertStartsPerWindow(ids, 3);
    }

    /** No more than {@code max} claims (started_at, database clock) in any window of one second. */
    private void assertStartsPerWindow(List<Long> ids, int max) {
        List<Instant> starts = new ArrayList<>();
        for (long id : ids) {
            starts.add(nodes.getFirst().job(id).orElseThrow().startedAt());
        }
        Collections.sort(starts);
        for (int i = max; i < starts.size(); i++) {
            assertThat(Duration.between(starts.get(i - max), starts.get(i)))
                    .as("starts %d and %d", i - max, i).isGreaterThan(Duration.ofMillis(950));
        }
    }

    @Test
    void rateLimitPerQueueCountsEveryKindOfTheQueue() {
        List<Long> ids = new CopyOnWriteArrayList<>();
        Sluice s = node(builder().queue("metered", 4).rateLimit(RateLimit.perQueue("metered", 2, Duration.ofSeconds(1)))
                .handler("a", Step.class, (st, ctx) -> {
                    ids.add(ctx.jobId());
                    return JobOutcome.success();
                })
                .handler("b", Step.class, (st, ctx) -> {
                    ids.add(ctx.jobId());
                    return JobOutcome.success();
                })).start();
        List<JobRequest> requests = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            requests.add(JobRequest.of("a", new Step("x", i)).queue("metered"));
            requests.add(JobRequest.of("b", new Step("x", i)).queue("metered"));
        }
        s.enqueueAll(requests);
        await().atMost(WAIT).until(() -> ids.size() == 6);
        assertStartsPerWindow(ids, 2);
    }

    @Test
    void manyStreamsOnThreeNodesNeverOverlapAndRunInOrder() {
        int streams = manyStreamsShape()[0];
        int perStream = manyStreamsShape()[1];
        List<Run> runs = Collections.synchronizedList(new ArrayList<>());
        for (int n = 0; n < 3; n++) {
            node(builder().queue("default", 16).handler("many", Step.class, (st, ctx) -> {
                long start = System.nanoTime();
                runs.add(new Run(ctx.jobId(), st.stream(), st.seq(), start, System.nanoTime()));
                return JobOutcome.success();
            })).start();
        }
        List<JobRequest> requests = new ArrayList<>();
        for (int seq = 0; seq < perStream; seq++) {
            for (int st = 0; st < streams; st++) {
                requests.add(JobRequest.of("many", new Step("m" + st, seq)).stream("m" + st));
            }
        }
        Sluice producer = nodes.getFirst();
        for (int from = 0; from < requests.size(); from += 2_000) {
            producer.enqueueAll(requests.subList(from, Math.min(requests.size(), from + 2_000)));
        }
        await().atMost(Duration.ofMinutes(4)).until(() -> runs.size() >= requests.size());
        StreamRuns.assertNoOverlapsAndInOrder(new ArrayList<>(runs), 1);
        assertThat(runs).hasSize(requests.size());
    }
}
