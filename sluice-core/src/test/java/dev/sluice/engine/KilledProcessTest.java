package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.JobRequest;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Nodes in separate processes on one PostgreSQL database, one of them killed with SIGKILL in
 * the middle of its work: the jobs it held are rescued once their leases expire, and every job
 * ends completed, run at least once. Each node is a {@link NodeProcess} started with this JVM's
 * {@code java} and class path; each handler start is a committed row of {@code run_log}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KilledProcessTest {
    private static final int JOBS = 2_000;
    private static final long LEASE_MS = 2_000;
    private static final long HANDLER_MS = 20;
    private static final int CONCURRENCY = 4;

    private TestDatabase db;
    private Path logs;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private boolean passed;

    @BeforeAll
    void openDatabase() throws IOException {
        db = TestDatabases.postgres();
        logs = Files.createTempDirectory("sluice-nodes-");
    }

    @AfterAll
    void stopEverything() {
        processes.values().forEach(Process::destroyForcibly);
        if (db != null) {
            db.close();
        }
        if (passed) {
            deleteLogs();
        } else {
            System.err.println("node logs kept in " + logs);
        }
    }

    private void deleteLogs() {
        try (var files = Files.list(logs)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(logs);
        } catch (IOException e) {
            System.err.println("could not delete " + logs + ": " + e);
        }
    }

    @Test
    void jobsOfAKilledNodeAreRescuedAndEveryJobCompletesOnce() throws Exception {
        execute("CREATE TABLE run_log (job_id BIGINT NOT NULL, node TEXT NOT NULL, attempt INTEGER NOT NULL, "
                + "started_at TIMESTAMPTZ NOT NULL)");
        try (Sluice producer = db.sluice().build()) {
            for (int from = 0; from < JOBS; from += 500) {
                List<JobRequest> batch = new ArrayList<>();
                for (int n = from; n < from + 500; n++) {
                    batch.add(JobRequest.of(NodeProcess.KIND, Map.of("n", n)));
                }
                producer.enqueueAll(batch);
            }
        }

        start("node-a");
        start("node-b");
        await("node-a running jobs with a fair share done").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).failFast(() -> !processes.get("node-a").isAlive())
                .until(() -> count("SELECT COUNT(*) FROM sluice_job WHERE state = 'running' AND lease_owner = 'node-a'") > 0
                        && count("SELECT COUNT(*) FROM sluice_job WHERE state = 'completed'") >= JOBS / 5);
        Process killed = processes.get("node-a");
        killed.destroyForcibly();
        assertThat(killed.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(300); // let the server finish any statement it had already received
        List<Long> heldByTheDead = ids("SELECT id FROM sluice_job WHERE state = 'running' AND lease_owner = 'node-a'");
        start("node-c");

        await("every job completed").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .failFast(() -> !processes.get("node-b").isAlive() && !processes.get("node-c").isAlive())
                .until(() -> count("SELECT COUNT(*) FROM sluice_job WHERE state = 'completed'") == JOBS);
        stop("node-b");
        stop("node-c");

        assertThat(count("SELECT COUNT(*) FROM sluice_job")).isEqualTo(JOBS);
        assertThat(count("SELECT COUNT(*) FROM sluice_job WHERE state <> 'completed'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM sluice_job j WHERE NOT EXISTS "
                + "(SELECT 1 FROM run_log r WHERE r.job_id = j.id)")).as("jobs that never ran").isZero();
        assertThat(heldByTheDead).as("jobs node-a held when it was killed").isNotEmpty();
        for (long id : heldByTheDead) {
            assertThat(count("SELECT COUNT(*) FROM sluice_job WHERE id = " + id
                    + " AND attempt >= 2 AND errors LIKE '%lease expired%node-a%'"))
                    .as("job %d was rescued from node-a", id).isEqualTo(1);
            assertThat(count("SELECT COUNT(*) FROM run_log WHERE job_id = " + id + " AND node <> 'node-a'"))
                    .as("job %d ran again on a live node", id).isPositive();
        }
        long twice = count("SELECT COUNT(*) FROM (SELECT job_id FROM run_log GROUP BY job_id HAVING COUNT(*) > 1) t");
        System.out.printf("%d jobs on 3 processes, node-a killed holding %d: %d job(s) ran more than once "
                + "(at-least-once); runs per node %s%n", JOBS, heldByTheDead.size(), twice,
                rows("SELECT node || '=' || COUNT(*) FROM run_log GROUP BY node ORDER BY node"));
        passed = true;
    }

    private void start(String nodeId) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), NodeProcess.class.getName(),
                db.jdbcUrl(), db.user(), db.password(), nodeId, Long.toString(LEASE_MS), Long.toString(HANDLER_MS),
                Integer.toString(CONCURRENCY));
        pb.redirectErrorStream(true);
        pb.redirectOutput(logs.resolve(nodeId + ".log").toFile());
        processes.put(nodeId, pb.start());
    }

    /** SIGTERM: the node closes gracefully (its shutdown hook); forced after a bound. */
    private void stop(String nodeId) throws InterruptedException {
        Process p = processes.get(nodeId);
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(nodeId + " did not stop within 20 s; its log: " + logs.resolve(nodeId + ".log"));
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private List<Long> ids(String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
