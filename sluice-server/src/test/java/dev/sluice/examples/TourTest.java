package dev.sluice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.CancelResult;
import dev.sluice.job.InvalidJobException;
import dev.sluice.job.Job;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobRequest;
import dev.sluice.job.JobState;
import dev.sluice.job.KindOptions;
import dev.sluice.job.RetryPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's tour, as code that runs: if this fails, the README is wrong. */
class TourTest {
    record Email(String to, String subject) {
    }

    record Payment(String order, boolean declined, boolean busy) {
    }

    record Report(String name, int pages) {
    }

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<String> sent = new CopyOnWriteArrayList<>();

    private Sluice.Builder tourBuilder() {
        return Sluice.builder()
                .sqlite(dir.resolve("jobs.db"))
                .queue("default", 8)
                .queue("mail", 2)
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .handler("email.send", Email.class, (email, ctx) -> {
                    sent.add(email.to());
                    return JobOutcome.success();
                })
                .handler("payment.capture", Payment.class, (p, ctx) -> {
                    if (p.declined()) {
                        return JobOutcome.fail("card declined");
                    }
                    if (p.busy() && ctx.attempt() == 1) {
                        return JobOutcome.retryLater(Duration.ofMillis(100), "gateway busy");
                    }
                    return JobOutcome.success(Map.of("captureId", "c-" + p.order()));
                }, KindOptions.defaults()
                        .timeout(Duration.ofSeconds(20))
                        .retryPolicy(RetryPolicy.exponential(Duration.ofSeconds(1), Duration.ofMinutes(10), 0.2))
                        .maxAttempts(8))
                .handler("report.render", Report.class, (r, ctx) -> {
                    for (int page = 1; page <= r.pages(); page++) {
                        if (ctx.isCancelled()) {
                            return JobOutcome.retryLater("stopped");
                        }
                        Thread.sleep(50);
                        ctx.progress((double) page / r.pages(), "page " + page);
                    }
                    return JobOutcome.success();
                });
    }

    private static Job awaitState(Sluice sluice, long id, JobState state) {
        await().atMost(WAIT).until(() -> sluice.job(id).map(Job::state).orElse(null) == state);
        return sluice.job(id).orElseThrow();
    }

    @Test
    void handlerAndNode() {
        try (Sluice sluice = tourBuilder().build()) {
            sluice.start();
            long id = sluice.enqueue("email.send", new Email("ada@example.com", "Welcome"));
            awaitState(sluice, id, JobState.COMPLETED);
            assertThat(sent).containsExactly("ada@example.com");
        }
    }

    @Test
    void optionsAndBadInput() {
        try (Sluice sluice = tourBuilder().build()) {
            long id = sluice.enqueue(JobRequest.of("email.send", new Email("b@example.com", "Hi"))
                    .queue("mail").priority(10).delay(Duration.ofMinutes(5)).maxAttempts(10).tags("welcome", "tenant-42"));
            Job job = sluice.job(id).orElseThrow();
            assertThat(job.state()).isEqualTo(JobState.SCHEDULED);
            assertThat(job.tags()).containsExactly("welcome", "tenant-42");
            assertThatThrownBy(() -> sluice.enqueue(JobRequest.of("email.send", 1).queue("mial")))
                    .isInstanceOf(InvalidJobException.class)
                    .hasMessage("queue: unknown queue 'mial'; known queues: [default, mail] "
                            + "(declare it with Sluice.Builder.queue or knownQueues)");
        }
    }

    @Test
    void outcomesRetriesAndResults() {
        try (Sluice sluice = tourBuilder().build()) {
            sluice.start();
            long declined = sluice.enqueue("payment.capture", new Payment("1", true, false));
            long busy = sluice.enqueue("payment.capture", new Payment("2", false, true));
            assertThat(awaitState(sluice, declined, JobState.DISCARDED).lastError()).isEqualTo("card declined");
            Job done = awaitState(sluice, busy, JobState.COMPLETED);
            assertThat(done.errors()).extracting(e -> e.message()).containsExactly("gateway busy");
            assertThat(done.result()).isEqualTo("{\"captureId\":\"c-2\"}");
        }
    }

    @Test
    void progressAndCancellation() {
        try (Sluice sluice = tourBuilder().build()) {
            sluice.start();
            long id = sluice.enqueue("report.render", new Report("monthly", 400));
            await().atMost(WAIT).until(() -> sluice.job(id).map(Job::progress).orElse(null) != null);
            assertThat(sluice.cancel(id)).isEqualTo(CancelResult.REQUESTED);
            awaitState(sluice, id, JobState.CANCELLED);
        }
    }

    @Test
    void manyAtOnceOrInsideYourTransaction() throws Exception {
        try (Sluice sluice = tourBuilder().build()) {
            List<Long> ids = sluice.enqueueAll(List.of(
                    JobRequest.of("email.send", new Email("c@example.com", "1")),
                    JobRequest.of("email.send", new Email("d@example.com", "2"))));
            assertThat(ids).hasSize(2);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("jobs.db"))) {
                c.setAutoCommit(false);
                sluice.enqueue(c, JobRequest.of("email.send", new Email("e@example.com", "3")));
                c.commit();
            }
            sluice.start();
            await().atMost(WAIT).until(() -> sent.size() == 3);
        }
    }

    @Test
    void inspectAndRepair() {
        try (Sluice sluice = tourBuilder().build()) {
            sluice.start();
            long id = sluice.enqueue("payment.capture", new Payment("3", true, false));
            awaitState(sluice, id, JobState.DISCARDED);
            JobPage page = sluice.jobs(JobQuery.all().state(JobState.DISCARDED).kind("payment.capture").limit(50));
            assertThat(page.jobs()).extracting(Job::id).containsExactly(id);
            assertThat(sluice.jobs(JobQuery.all().state(JobState.DISCARDED).limit(50).after(page)).jobs()).isEmpty();
            assertThat(sluice.retry(id)).isTrue();
            awaitState(sluice, id, JobState.DISCARDED);
            assertThat(sluice.delete(id)).isTrue();
            assertThat(sluice.counts()).isNotNull();
            sluice.enqueue("nobody.handles.this", Map.of());
            assertThat(sluice.kindsWithoutHandlers()).containsExactly("nobody.handles.this");
        }
    }

    record Change(String customer, int version) {
    }

    @Test
    void keysTheNewestChangeWins() {
        try (Sluice sluice = tourBuilder().build()) {
            long older = sluice.enqueue(JobRequest.of("customer.sync", new Change("42", 1)).key("customer:42"));
            dev.sluice.job.EnqueueResult r = sluice.enqueueDetailed(JobRequest.of("search.reindex", Map.of("index", "products"))
                    .key("index:products", dev.sluice.job.KeyPolicy.debounce(Duration.ofSeconds(5))));
            assertThat(r.inserted()).isTrue();
            sluice.enqueue(JobRequest.of("customer.sync", new Change("42", 2)).key("customer:42"));
            assertThat(sluice.job(older).orElseThrow().state()).isEqualTo(JobState.SUPERSEDED);
        }
    }

    @Test
    void streamsAndLimits() {
        List<Integer> posted = new CopyOnWriteArrayList<>();
        try (Sluice sluice = tourBuilder()
                .concurrencyLimit("tenant:", 2)
                .rateLimit(dev.sluice.job.RateLimit.perKind("sms.send", 10, Duration.ofSeconds(1)))
                .handler("ledger.post", Change.class, (c, ctx) -> {
                    posted.add(c.version());
                    return JobOutcome.success();
                }).build()) {
            sluice.start();
            for (int v = 1; v <= 5; v++) {
                sluice.enqueue(JobRequest.of("ledger.post", new Change("7", v)).stream("account:7"));
            }
            await().atMost(WAIT).until(() -> posted.size() == 5);
            assertThat(posted).containsExactly(1, 2, 3, 4, 5);
        }
    }

    @Test
    void changeDetection() {
        List<String> updated = new CopyOnWriteArrayList<>();
        try (Sluice sluice = tourBuilder()
                .handler("customers.create", dev.sluice.cdc.ObjectChange.class, (c, ctx) -> JobOutcome.success())
                .handler("customers.update", dev.sluice.cdc.ObjectChange.class, (c, ctx) -> {
                    updated.add(c.objectId());
                    return JobOutcome.success();
                }).build()) {
            sluice.start();
            dev.sluice.cdc.ChangeDetector customers = sluice.changeDetector("customers");
            customers.detect(List.of(new dev.sluice.cdc.SourceObject("c1", Map.of("email", "a@example.com"))));
            dev.sluice.cdc.DetectionResult r = customers.detect(
                    List.of(new dev.sluice.cdc.SourceObject("c1", Map.of("email", "b@example.com"))));
            assertThat(r.updated()).isEqualTo(1);
            await().atMost(WAIT).until(() -> updated.contains("c1"));
        }
    }

    @Test
    void writeAheadLog() {
        try (Sluice sluice = tourBuilder()
                .wal(dev.sluice.wal.WalConfig.defaults(dir.resolve("sluice-wal")).mode(dev.sluice.wal.WalMode.DURABLE))
                .build()) {
            sluice.start();
            sluice.enqueueBuffered(JobRequest.of("email.send", new Email("wal@example.com", "Hi")));
            await().atMost(WAIT).until(() -> sent.contains("wal@example.com"));
            long jobId = sluice.jobs(JobQuery.all().kind("email.send")).jobs().getFirst().id();
            sluice.log(jobId, "processing", "rendering page 3");
            assertThat(sluice.awaitWalFlushed(WAIT)).isTrue();
            assertThat(sluice.activities(dev.sluice.job.ActivityQuery.job(jobId)))
                    .extracting(dev.sluice.job.Activity::message).contains("rendering page 3");
            assertThat(sluice.walHealth()).isPresent();
        }
    }
}
