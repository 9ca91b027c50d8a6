package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.job.Job;
import dev.sluice.job.JobState;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.store.FetchParams;
import dev.sluice.store.JobFinish;
import dev.sluice.store.NewJob;
import dev.sluice.store.StreamClaim;
import dev.sluice.store.Stores;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcStores;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * How the completion writer writes and counts the ends of attempts, on a real database of each
 * dialect; each subclass names one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CompletionWriterTest {
    private static final String OWNER = "node-1";

    private TestDatabase db;
    private Stores stores;

    abstract Dialect dialect();

    @BeforeAll
    void openStores() {
        db = TestDatabases.create(dialect());
        stores = JdbcStores.open(db.dataSource(), dialect(), () -> { });
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

    @Test
    void anEndSubmittedTwiceInOneBatchIsWrittenAndCountedOnce() throws Exception {
        long id = stores.jobs().jobInsertMany(null, List.of(
                new NewJob("twice", "default", "available", 0, "{}", "[]", 5, null, 0))).getFirst();
        Job job = stores.jobs().jobFetchAvailable(new FetchParams("default", List.of("twice"), 1, OWNER, 60_000))
                .getFirst();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // One writer and a long gathering delay: both submissions land in one batch.
        CompletionWriter writer = new CompletionWriter(stores.jobs(), OWNER, 100, 1, Duration.ofMillis(500),
                new SluiceMetrics(registry), (loop, e) -> { }, null, new KnownLeases(), () -> { }, () -> StreamClaim.NONE,
                jobs -> { });
        writer.start();
        CompletionWriter.Pending end = new CompletionWriter.Pending(
                new JobFinish(id, job.attempt(), "completed", 0, "\"done\"", null), "default", "twice", job.attempt());

        writer.submit(end);
        writer.submit(end);
        writer.stop(Duration.ofSeconds(10));

        assertThat(stores.jobs().jobGet(id).orElseThrow().state()).isEqualTo(JobState.COMPLETED);
        assertThat(registry.get("sluice.jobs.completed").tag("kind", "twice").counter().count()).isEqualTo(1.0);
    }
}
