package dev.sluice.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.Job;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobState;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A change detector keeps a replica in step with a real source table in the same database:
 * inserts, updates, deletes and no-op runs, on every dialect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ChangeDetectionTest {
    record Customer(String name, String email) {
    }

    private TestDatabase db;
    private Sluice sluice;
    private final Map<String, Customer> replica = new ConcurrentHashMap<>();

    abstract Dialect dialect();

    @BeforeAll
    void openDatabase() throws SQLException {
        db = TestDatabases.create(dialect());
        sql("CREATE TABLE customer (id VARCHAR(50) PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(100) NOT NULL)");
    }

    @BeforeEach
    void startNode() throws SQLException {
        replica.clear();
        Sluice node = db.sluice()
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .handler("customers.create", ObjectChange.class, this::apply)
                .handler("customers.update", ObjectChange.class, this::apply)
                .handler("customers.delete", ObjectChange.class, this::apply)
                .build();
        // Each test starts from an empty source that the detector has never seen, and without jobs
        // another test left waiting (the keyed test leaves one for k1, which a node with handlers
        // would otherwise apply to this test's replica), before the node can fetch any.
        sql("DELETE FROM customer");
        sql("DELETE FROM sluice_cdc_hash");
        sql("DELETE FROM sluice_job");
        sluice = node.start();
    }

    private JobOutcome apply(ObjectChange change, dev.sluice.job.JobContext ctx) throws Exception {
        if (change.action() == ChangeAction.DELETE) {
            replica.remove(change.objectId());
        } else {
            replica.put(change.objectId(), dev.sluice.internal.Json.mapper().treeToValue(change.content(), Customer.class));
        }
        return JobOutcome.success();
    }

    @AfterEach
    void stopNode() {
        sluice.close();
    }

    @AfterAll
    void dropDatabase() {
        db.close();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    private List<SourceObject> source() throws SQLException {
        List<SourceObject> rows = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name, email FROM customer")) {
            while (rs.next()) {
                rows.add(new SourceObject(rs.getString(1), new Customer(rs.getString(2), rs.getString(3))));
            }
        }
        return rows;
    }

    private Map<String, Customer> sourceMap() throws SQLException {
        Map<String, Customer> out = new TreeMap<>();
        source().forEach(o -> out.put(o.id(), (Customer) o.content()));
        return out;
    }

    private void awaitReplicaMatchesSource() throws SQLException {
        Map<String, Customer> expected = sourceMap();
        await().atMost(Duration.ofSeconds(20)).until(() -> new TreeMap<>(replica).equals(expected));
    }

    @Test
    void insertsUpdatesAndDeletesAtTheSourceBecomeJobsAndTheReplicaFollows() throws SQLException {
        ChangeDetector detector = sluice.changeDetector("customers");
        sql("INSERT INTO customer VALUES ('c1', 'Ada', 'ada@example.com')");
        sql("INSERT INTO customer VALUES ('c2', 'Grace', 'grace@example.com')");
        sql("INSERT INTO customer VALUES ('c3', 'Linus', 'linus@example.com')");
        assertThat(detector.detect(source())).isEqualTo(new DetectionResult(3, 0, 0, 0));
        awaitReplicaMatchesSource();

        sql("UPDATE customer SET email = 'ada@lovelace.org' WHERE id = 'c1'");
        sql("DELETE FROM customer WHERE id = 'c2'");
        sql("INSERT INTO customer VALUES ('c4', 'Barbara', 'barbara@example.com')");
        assertThat(detector.detect(source())).isEqualTo(new DetectionResult(1, 1, 1, 1));
        awaitReplicaMatchesSource();
        assertThat(replica).doesNotContainKey("c2");
    }

    @Test
    void aRunWithNoChangesEnqueuesNothing() throws SQLException {
        ChangeDetector detector = sluice.changeDetector("customers");
        sql("INSERT INTO customer VALUES ('n1', 'Ada', 'ada@example.com')");
        detector.detect(source());
        long jobsBefore = sluice.jobs(JobQuery.all().limit(1000)).jobs().size();
        assertThat(detector.detect(source())).isEqualTo(new DetectionResult(0, 0, 0, 1));
        assertThat(sluice.jobs(JobQuery.all().limit(1000)).jobs()).hasSize((int) jobsBefore);
    }

    @Test
    void changeJobsAreKeyedByObjectSoTheNewestChangeWins() throws SQLException {
        sluice.close();
        sluice = db.sluice().build(); // no handlers: the jobs wait
        ChangeDetector detector = sluice.changeDetector("customers");
        sql("INSERT INTO customer VALUES ('k1', 'Ada', 'v1')");
        detector.detect(source());
        sql("UPDATE customer SET email = 'v2' WHERE id = 'k1'");
        detector.detect(source());
        List<Job> jobs = sluice.jobs(JobQuery.all().kind("customers.update")).jobs();
        assertThat(jobs).hasSize(1);
        assertThat(jobs.getFirst().key()).isEqualTo("customers:k1");
        assertThat(sluice.jobs(JobQuery.all().kind("customers.create")).jobs().getFirst().state())
                .isEqualTo(JobState.SUPERSEDED);
    }

    @Test
    void equalContentInAnotherFieldOrderHashesAlike() {
        var a = ContentHasher.hash(ContentHasher.tree(Map.of("a", 1, "b", Map.of("x", 1, "y", 2))));
        var b = ContentHasher.hash(ContentHasher.tree(new TreeMap<>(Map.of("b", new TreeMap<>(Map.of("y", 2, "x", 1)), "a", 1))));
        assertThat(a).isEqualTo(b).hasSize(64);
    }

    @Test
    void duplicateIdsAtTheSourceAreRejectedBeforeAnythingIsWritten() {
        ChangeDetector detector = sluice.changeDetector("dupes");
        assertThatThrownBy(() -> detector.detect(List.of(new SourceObject("x", 1), new SourceObject("x", 2))))
                .hasMessageContaining("object id 'x' twice");
        assertThat(sluice.jobs(JobQuery.all().kind("dupes.create")).jobs()).isEmpty();
    }
}
