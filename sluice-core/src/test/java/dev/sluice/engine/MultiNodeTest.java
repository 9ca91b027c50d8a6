package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.Job;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobRequest;
import dev.sluice.job.JobState;
import dev.sluice.job.KindOptions;
import dev.sluice.job.RetryPolicy;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.QueueStateCount;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.testing.NodesOnOneDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Several nodes in one JVM sharing one database, on every dialect: they share the work without
 * getting in each other's way (no failed fetch, renewal or completion), and between them every
 * job runs once per attempt, never on two nodes at the same time.
 */
abstract class MultiNodeTest extends NodesOnOneDatabase {
    private static final int JOBS = 3_000;
    private static final int NODES = 3;
    /** Every job whose number is a multiple of this fails its first attempt. */
    private static final int FLAKY_EVERY = 50;

    record Item(int n) {
    }

    /** One call of the handler, timed on this JVM's monotonic clock. */
    record Run(long jobId, String node, int attempt, long startNanos, long endNanos) {
    }

    private Sluice.Builder builder() {
        return db.sluice()
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .heartbeatInterval(Duration.ofSeconds(1))
                .leaseDuration(Duration.ofSeconds(30))
                .maintenanceInterval(Duration.ofMillis(500))
                .shutdownGrace(Duration.ofSeconds(5));
    }

    @Test
    void threeNodesRunEveryJobOncePerAttemptAndNeverTwoAtOnce() {
        Sluice producer = builder().build();
        nodes.add(producer);
        List<Long> ids = new ArrayList<>();
        for (int from = 0; from < JOBS; from += 500) {
            List<JobRequest> batch = new ArrayList<>();
            for (int n = from; n < from + 500; n++) {
                batch.add(JobRequest.of("tally", new Item(n)));
            }
            ids.addAll(producer.enqueueAll(batch));
        }
        Queue<Run> runs = new ConcurrentLinkedQueue<>();
        Queue<String> errors = new ConcurrentLinkedQueue<>();
        for (int i = 1; i <= NODES; i++) {
            String node = "node-" + i;
            Sluice s = builder().nodeId(node).queue("default", 8).handler("tally", Item.class, (item, ctx) -> {
                long start = System.nanoTime();
                Thread.sleep(2);
                runs.add(new Run(ctx.jobId(), node, ctx.attempt(), start, System.nanoTime()));
                if (item.n() % FLAKY_EVERY == 0 && ctx.attempt() == 1) {
                    throw new IllegalStateException("first attempt of " + item.n() + " fails");
                }
                return JobOutcome.success();
            }, KindOptions.defaults().retryPolicy(RetryPolicy.fixed(Duration.ofMillis(10))))
                    .errorListener((loop, error) -> errors.add(node + " " + loop + ": " + error))
                    .build();
            nodes.add(s);
        }
        nodes.subList(1, nodes.size()).forEach(Sluice::start);

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250))
                .until(() -> count(producer, JobState.COMPLETED) == JOBS);

        Map<Long, Job> jobs = new HashMap<>();
        for (Job j : all(producer)) {
            jobs.put(j.id(), j);
        }
        assertThat(jobs.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        Map<Long, List<Run>> runsByJob = runs.stream().collect(Collectors.groupingBy(Run::jobId));
        for (Job job : jobs.values()) {
            int n = Integer.parseInt(job.payload().replaceAll("\\D", ""));
            int attempts = n % FLAKY_EVERY == 0 ? 2 : 1;
            assertThat(job.state()).as("job %d", job.id()).isEqualTo(JobState.COMPLETED);
            assertThat(job.attempt()).as("attempts of job %d (n=%d)", job.id(), n).isEqualTo(attempts);
            List<Run> jobRuns = runsByJob.getOrDefault(job.id(), List.of());
            assertThat(jobRuns).as("runs of job %d", job.id()).extracting(Run::attempt)
                    .containsExactlyInAnyOrderElementsOf(attempts == 2 ? List.of(1, 2) : List.of(1));
            assertNoOverlap(jobRuns);
        }
        Map<String, Long> perNode = runs.stream().collect(Collectors.groupingBy(Run::node, Collectors.counting()));
        assertThat(perNode).as("work per node").containsOnlyKeys("node-1", "node-2", "node-3");
        assertThat(producer.nodes()).extracting(NodeInfo::id).containsExactlyInAnyOrder("node-1", "node-2", "node-3");
        assertThat(nodes.stream().filter(Sluice::isLeader)).as("maintenance leaders").hasSize(1);
        assertThat(errors).as("errors of the background loops (fetch, heartbeat, completions)").isEmpty();
    }

    /** Runs of one job, one after the other: none starts before the previous one ended. */
    private static void assertNoOverlap(List<Run> jobRuns) {
        List<Run> sorted = new ArrayList<>(jobRuns);
        sorted.sort(Comparator.comparingLong(Run::startNanos));
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).startNanos()).as("run %s started while %s ran", sorted.get(i), sorted.get(i - 1))
                    .isGreaterThanOrEqualTo(sorted.get(i - 1).endNanos());
        }
    }

    private static long count(Sluice s, JobState state) {
        return s.counts().stream().filter(c -> c.state().equals(state.dbName())).mapToLong(QueueStateCount::count).sum();
    }

    private static List<Job> all(Sluice s) {
        List<Job> out = new ArrayList<>();
        var page = s.jobs(JobQuery.all().kind("tally").limit(1_000));
        out.addAll(page.jobs());
        while (page.hasMore()) {
            page = s.jobs(JobQuery.all().kind("tally").limit(1_000).after(page));
            out.addAll(page.jobs());
        }
        return out;
    }
}
