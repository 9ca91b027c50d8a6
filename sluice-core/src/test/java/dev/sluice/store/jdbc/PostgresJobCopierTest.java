package dev.sluice.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.sluice.store.NewJob;
import dev.sluice.store.Stores;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.AbstractList;
import java.util.List;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** How the COPY of jobs into PostgreSQL numbers its rows, and how a failed one reports its failure. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJobCopierTest {
    private static final int JOBS = PostgresJobCopier.MIN_JOBS + 10;

    private TestDatabase db;
    private JdbcExecutor executor;

    @BeforeAll
    void openDatabase() throws Exception {
        db = TestDatabases.create(Dialect.POSTGRESQL);
        try (Stores migrated = JdbcStores.open(db.dataSource(), Dialect.POSTGRESQL, () -> { })) {
            executor = new JdbcExecutor(db.dataSource(), Dialect.POSTGRESQL,
                    SqlStatements.load(Dialect.POSTGRESQL.dir(), "job"));
        }
    }

    @AfterAll
    void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void eachCopiedJobGetsTheIdReturnedAtItsPosition() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(false);

            List<Long> ids = new PostgresJobCopier(executor).insert(c, jobs(i -> { }));

            assertThat(ids).hasSize(JOBS).doesNotHaveDuplicates().isSorted();
            assertThat(ids.getLast() - ids.getFirst()).as("one unbroken range").isEqualTo(JOBS - 1);
            assertEachIdHoldsItsJob(c, ids);
            c.rollback();
        }
    }

    @Test
    void idsAreRightWhenTheReservedRangeHasGaps() throws Exception {
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            // Every other value skipped, as if other transactions took them during the reservation.
            try (Statement st = c.createStatement()) {
                st.execute("ALTER SEQUENCE sluice_job_id_seq INCREMENT BY 2");
            }

            List<Long> ids = new PostgresJobCopier(executor).insert(c, jobs(i -> { }));

            assertThat(ids).hasSize(JOBS).doesNotHaveDuplicates().isSorted();
            assertThat(ids.get(1) - ids.get(0)).isEqualTo(2);
            assertEachIdHoldsItsJob(c, ids);
            c.rollback();
        }
    }

    private static void assertEachIdHoldsItsJob(Connection c, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT payload FROM sluice_job WHERE id = ?")) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(1, ids.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("job %d (id %d) is there", i, ids.get(i)).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("{\"n\":" + i + "}");
                }
            }
        }
    }

    @Test
    void aCopyThatFailsIsEndedAndItsCauseThrownWithTheConnectionStillUsable() throws Exception {
        IllegalStateException cause = new IllegalStateException("job 10 could not be read");
        try (Connection c = connect()) {
            c.setAutoCommit(false);

            Throwable thrown = catchThrowable(() -> new PostgresJobCopier(executor).insert(c, jobs(i -> {
                if (i == 10) {
                    throw cause;
                }
            })));

            assertThat(thrown).isSameAs(cause);
            assertThat(thrown.getSuppressed()).isEmpty();
            c.rollback();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM sluice_job")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void whenEndingAFailedCopyFailsTooTheCauseIsThrownWithThatFailureSuppressed() throws Exception {
        IllegalStateException cause = new IllegalStateException("job 10 could not be read");
        Connection c = connect();
        try {
            c.setAutoCommit(false);
            int pid = backendPid(c);

            // The connection dies while the rows are written, so that cancelling the copy fails as well.
            Throwable thrown = catchThrowable(() -> new PostgresJobCopier(executor).insert(c, jobs(i -> {
                if (i == 10) {
                    terminate(pid);
                    throw cause;
                }
            })));

            assertThat(thrown).as("the cause, not the failure to cancel the copy").isSameAs(cause);
            assertThat(thrown.getSuppressed()).singleElement().isInstanceOf(SQLException.class);
        } finally {
            closeDead(c);
        }
    }

    /** {@value #JOBS} jobs, read one by one by the copier; {@code onRead} is told each index first. */
    private static List<NewJob> jobs(IntConsumer onRead) {
        return new AbstractList<>() {
            @Override
            public NewJob get(int index) {
                onRead.accept(index);
                return new NewJob("copied", "default", "available", 0, "{\"n\":" + index + "}", "[]", 5, null, 0);
            }

            @Override
            public int size() {
                return JOBS;
            }
        };
    }

    /** A connection of its own, outside the pool: one test kills it. */
    private Connection connect() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
    }

    /** Closes a connection whose server process was ended; the driver fails to say goodbye, as it may. */
    private static void closeDead(Connection c) {
        try {
            c.close();
        } catch (SQLException expected) {
            // broken pipe: nothing left to close
        }
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** Ends the server process of another connection and waits until it is gone. */
    private void terminate(int pid) {
        try (Connection admin = db.dataSource().getConnection();
             PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)");
             PreparedStatement alive = admin.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity WHERE pid = ?")) {
            kill.setInt(1, pid);
            kill.execute();
            alive.setInt(1, pid);
            for (int tries = 0; tries < 500; tries++) {
                try (ResultSet rs = alive.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(10);
            }
            throw new AssertionError("backend " + pid + " did not end");
        } catch (SQLException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
