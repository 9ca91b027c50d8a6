package dev.sluice.bench.system;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.bench.db.BenchDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling: the least a durable SQL queue can do. {@code workers} threads each claim 100
 * waiting rows in one statement ({@code FOR UPDATE SKIP LOCKED}; on SQLite one
 * {@code UPDATE … RETURNING}, SQLite having a single writer anyway), run the handler for each,
 * and mark the batch done in one statement. A thread that finds nothing sleeps {@link #IDLE_POLL_MS}.
 * No leases, retries, payload decoding or anything else a real job system needs.
 */
public final class HandWrittenQueue implements QueueSystem {
    /** The pause of a worker that found no job. */
    public static final long IDLE_POLL_MS = 10;

    private HikariDataSource pool;
    private HandWrittenSql sql;
    private Probe probe;
    private int workers;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;
    private volatile Throwable failure;

    @Override
    public String name() {
        return "handwritten";
    }

    @Override
    public void open(BenchDatabase db, int workers, Probe probe) throws SQLException {
        this.sql = HandWrittenSql.of(db.store());
        this.probe = probe;
        this.workers = workers;
        // One connection per worker plus one for enqueueing; SQLite's single writer makes more useless.
        this.pool = db.pool("bench-handwritten", db.store() == dev.sluice.bench.db.StoreKind.SQLITE ? 1 : workers + 2);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            for (String ddl : sql.schema()) {
                st.execute(ddl);
            }
        }
    }

    @Override
    public void enqueueMany(List<BenchPayload> payloads) throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql.insert())) {
                for (BenchPayload p : payloads) {
                    ps.setLong(1, p.enqueuedNanos());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    @Override
    public void enqueueOne(BenchPayload payload) throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql.insert())) {
            ps.setLong(1, payload.enqueuedNanos());
            ps.executeUpdate();
        }
    }

    @Override
    public void startWorkers() {
        running = true;
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform().daemon().name("bench-handwritten-" + i).start(this::work));
        }
    }

    private void work() {
        while (running) {
            try {
                List<long[]> jobs = claim();
                if (jobs.isEmpty()) {
                    TimeUnit.MILLISECONDS.sleep(IDLE_POLL_MS);
                    continue;
                }
                for (long[] job : jobs) {
                    probe.jobStarted(job[1]);
                }
                complete(jobs);
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    failure = e;
                    System.err.println("hand-written worker failed: " + e.getMessage());
                }
                return;
            }
        }
    }

    /** Claimed jobs as {id, enqueued_nanos}. */
    private List<long[]> claim() throws SQLException {
        try (Connection c = pool.getConnection()) {
            if (sql.markClaimed() == null) {
                try (PreparedStatement ps = c.prepareStatement(sql.claim())) {
                    return read(ps);
                }
            }
            c.setAutoCommit(false);
            try {
                List<long[]> jobs;
                try (PreparedStatement ps = c.prepareStatement(sql.claim())) {
                    jobs = read(ps);
                }
                if (!jobs.isEmpty()) {
                    try (PreparedStatement ps = c.prepareStatement(HandWrittenSql.expand(sql.markClaimed(), jobs.size()))) {
                        bindIds(ps, jobs);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                return jobs;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static List<long[]> read(PreparedStatement ps) throws SQLException {
        List<long[]> jobs = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                jobs.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        return jobs;
    }

    private void complete(List<long[]> jobs) throws SQLException {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement(HandWrittenSql.expand(sql.complete(), jobs.size()))) {
            bindIds(ps, jobs);
            ps.executeUpdate();
        }
    }

    private static void bindIds(PreparedStatement ps, List<long[]> jobs) throws SQLException {
        for (int i = 0; i < jobs.size(); i++) {
            ps.setLong(i + 1, jobs.get(i)[0]);
        }
    }

    @Override
    public long completed() throws SQLException {
        if (failure != null) {
            throw new IllegalStateException("a hand-written worker failed: " + failure.getMessage(), failure);
        }
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql.countCompleted())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.interrupt();
            t.join(5_000);
        }
        if (pool != null) {
            pool.close();
        }
    }
}
