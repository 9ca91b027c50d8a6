package dev.sluice.bench.system;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.db.StoreKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * db-scheduler with a one-time task per job. Its table is created from the schema its project
 * publishes for each database. Two configurations, both with {@code threads(W)} and a polling
 * interval of {@link #POLLING_INTERVAL} instead of the default 10 s:
 * <ul>
 *   <li>{@code db-scheduler}: tuned as its README advises for throughput, lock-and-fetch polling
 *       ({@code FOR UPDATE SKIP LOCKED}) on PostgreSQL (it refuses it on MariaDB);</li>
 *   <li>{@code db-scheduler-default}: its default polling strategy (fetch due executions, then
 *       lock each with an optimistic update as it is executed), what a team gets without tuning
 *       it. On MariaDB this is what {@code db-scheduler} does anyway, so it is skipped there.</li>
 * </ul>
 * Finished one-time executions are deleted, so the completed count is what was enqueued minus
 * the rows left.
 */
public final class DbSchedulerSystem implements QueueSystem {
    /** The polling interval used instead of db-scheduler's default of 10 s. */
    public static final Duration POLLING_INTERVAL = Duration.ofMillis(100);
    /** The non-default settings, for the report. */
    public static final String SETTINGS = "threads = workers; pollingInterval 100 ms; "
            + "pollUsingLockAndFetch(0.5, 1.0) on PostgreSQL (refused on MariaDB); Java serialization (default)";
    /** The non-default settings of {@code db-scheduler-default}, for the report. */
    public static final String DEFAULT_POLLING_SETTINGS = "threads = workers; pollingInterval 100 ms; "
            + "default polling strategy (fetch, then lock on execute); Java serialization (default)";

    /** How db-scheduler finds and takes due executions. */
    public enum Polling {
        /** {@code pollUsingLockAndFetch(0.5, 1.0)}: one {@code SKIP LOCKED} statement picks a batch. */
        LOCK_AND_FETCH,
        /** The default: select due executions, then lock each with an update as it runs. */
        FETCH_AND_LOCK_ON_EXECUTE
    }

    private final Polling polling;
    private HikariDataSource pool;
    private OneTimeTask<BenchPayload> task;
    private SchedulerClient client;
    private Scheduler scheduler;
    private StoreKind store;
    private int workers;
    private final AtomicLong enqueued = new AtomicLong();

    /** The tuned configuration, {@code db-scheduler}. */
    public DbSchedulerSystem() {
        this(Polling.LOCK_AND_FETCH);
    }

    public DbSchedulerSystem(Polling polling) {
        this.polling = polling;
    }

    @Override
    public String name() {
        return polling == Polling.LOCK_AND_FETCH ? "db-scheduler" : "db-scheduler-default";
    }

    @Override
    public Optional<String> unsupported(StoreKind store) {
        // Found by running it: its fetch fails with 'near "OFFSET": syntax error' on SQLite.
        if (store == StoreKind.SQLITE) {
            return Optional.of("db-scheduler 16.7.1 has no SQLite dialect: its generic SQL (OFFSET ... FETCH FIRST) "
                    + "fails on SQLite with 'near \"OFFSET\": syntax error'");
        }
        if (store == StoreKind.MARIADB && polling == Polling.FETCH_AND_LOCK_ON_EXECUTE) {
            return Optional.of("db-scheduler refuses lock-and-fetch on MariaDB, so db-scheduler already polls this way there");
        }
        return Optional.empty();
    }

    @Override
    public void open(BenchDatabase db, int workers, Probe probe) throws SQLException {
        this.store = db.store();
        this.workers = workers;
        this.pool = db.pool("bench-db-scheduler", workers + 4);
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            for (String ddl : schema(store)) {
                st.execute(ddl);
            }
        }
        this.task = Tasks.oneTime("bench-noop", BenchPayload.class)
                .execute((instance, ctx) -> probe.jobStarted(instance.getData().enqueuedNanos()));
        this.client = SchedulerClient.Builder.create(pool, task).build();
    }

    private static List<String> schema(StoreKind store) {
        return switch (store) {
            case POSTGRESQL -> List.of("""
                    CREATE TABLE scheduled_tasks (
                      task_name TEXT NOT NULL, task_instance TEXT NOT NULL, task_data BYTEA,
                      execution_time TIMESTAMP WITH TIME ZONE NOT NULL, picked BOOLEAN NOT NULL, picked_by TEXT,
                      last_success TIMESTAMP WITH TIME ZONE, last_failure TIMESTAMP WITH TIME ZONE,
                      consecutive_failures INT, last_heartbeat TIMESTAMP WITH TIME ZONE, version BIGINT NOT NULL,
                      priority SMALLINT, PRIMARY KEY (task_name, task_instance))""",
                    "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
                    "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
                    "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
            case MARIADB -> List.of("""
                    CREATE TABLE scheduled_tasks (
                      task_name VARCHAR(100) NOT NULL, task_instance VARCHAR(100) NOT NULL, task_data BLOB,
                      execution_time TIMESTAMP(6) NOT NULL, picked BOOLEAN NOT NULL, picked_by VARCHAR(50),
                      last_success TIMESTAMP(6) NULL, last_failure TIMESTAMP(6) NULL, consecutive_failures INT,
                      last_heartbeat TIMESTAMP(6) NULL, version BIGINT NOT NULL, priority SMALLINT,
                      PRIMARY KEY (task_name, task_instance),
                      INDEX execution_time_idx (execution_time),
                      INDEX last_heartbeat_idx (last_heartbeat),
                      INDEX priority_execution_time_idx (priority DESC, execution_time ASC))""");
            case SQLITE -> throw new IllegalStateException("db-scheduler does not run on SQLite");
        };
    }

    @Override
    public void enqueueMany(List<BenchPayload> payloads) {
        List<TaskInstance<?>> instances = new ArrayList<>(payloads.size());
        for (BenchPayload p : payloads) {
            instances.add(task.instance("job-" + enqueued.incrementAndGet(), p));
        }
        client.scheduleBatch(instances, Instant.now());
    }

    @Override
    public void enqueueOne(BenchPayload payload) {
        client.schedule(task.instance("job-" + enqueued.incrementAndGet(), payload), Instant.now());
    }

    @Override
    public void startWorkers() {
        var builder = Scheduler.create(pool, task)
                .threads(workers)
                .pollingInterval(POLLING_INTERVAL)
                .heartbeatInterval(Duration.ofSeconds(5));
        if (store == StoreKind.POSTGRESQL && polling == Polling.LOCK_AND_FETCH) {
            // db-scheduler supports lock-and-fetch on PostgreSQL only among these databases.
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        scheduler = builder.build();
        scheduler.start();
    }

    @Override
    public long completed() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM scheduled_tasks")) {
            rs.next();
            return enqueued.get() - rs.getLong(1);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.stop();
        }
        if (pool != null) {
            pool.close();
        }
    }
}
