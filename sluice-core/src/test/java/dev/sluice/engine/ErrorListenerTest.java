package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.JobOutcome;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ErrorListenerTest {

    @Test
    void errorsOfTheBackgroundLoopsReachTheListenerAndTheLoopsCarryOn() throws Exception {
        try (TestDatabase db = TestDatabases.sqlite()) {
            List<String> loops = new CopyOnWriteArrayList<>();
            try (Sluice sluice = db.sluice()
                    .pollInterval(Duration.ofMillis(20), Duration.ofMillis(100))
                    .heartbeatInterval(Duration.ofMillis(100))
                    .leaseDuration(Duration.ofSeconds(1))
                    .errorListener((loop, error) -> loops.add(loop))
                    .handler("noop", String.class, (s, ctx) -> JobOutcome.success())
                    .build().start()) {
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("ALTER TABLE sluice_job RENAME TO sluice_job_away");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> loops.contains("fetch:default") && loops.contains("heartbeat"));
                try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
                    st.execute("ALTER TABLE sluice_job_away RENAME TO sluice_job");
                }
                long id = sluice.enqueue("noop", "after the outage");
                await().atMost(Duration.ofSeconds(10)).until(() -> sluice.job(id).orElseThrow().state().isFinal());
                assertThat(loops).isNotEmpty();
            }
        }
    }
}
