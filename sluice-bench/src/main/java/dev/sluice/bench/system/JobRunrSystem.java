package dev.sluice.bench.system;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.db.StoreKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.scheduling.JobScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.BackgroundJobServerConfiguration;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.mariadb.MariaDbStorageProvider;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.storage.sql.sqlite.SqLiteStorageProvider;

/**
 * JobRunr (open-source edition) with its SQL storage provider for the database, which creates
 * its own tables. Jobs call {@link JobRunrTarget#run(long)} on an instance handed out by a
 * {@link JobActivator}. JobRunr refuses a poll interval under 5 s on SQL storage, so that
 * minimum is used (the default is 15 s). JobRunr keeps global state, so only one instance may
 * be open per JVM at a time.
 */
public final class JobRunrSystem implements QueueSystem {
    /** The non-default settings, for the report. */
    public static final String SETTINGS = "workerCount = workers; pollInterval 5 s (the minimum JobRunr accepts on SQL)";

    private HikariDataSource pool;
    private StorageProvider storage;
    private JobScheduler scheduler;
    private JobRunrTarget target;

    @Override
    public String name() {
        return "jobrunr";
    }

    @Override
    public void open(BenchDatabase db, int workers, Probe probe) {
        this.target = new JobRunrTarget(probe);
        this.pool = db.pool("bench-jobrunr", db.store() == StoreKind.SQLITE ? 1 : workers + 4);
        this.storage = switch (db.store()) {
            case POSTGRESQL -> new PostgresStorageProvider(pool);
            case MARIADB -> new MariaDbStorageProvider(pool);
            case SQLITE -> new SqLiteStorageProvider(pool);
        };
        JobActivator activator = new JobActivator() {
            @Override
            public <T> T activateJob(Class<T> type) {
                return type.isInstance(target) ? type.cast(target) : null;
            }
        };
        BackgroundJobServerConfiguration server = BackgroundJobServerConfiguration
                .usingStandardBackgroundJobServerConfiguration()
                .andWorkerCount(workers)
                .andPollIntervalInSeconds(5);
        this.scheduler = JobRunr.configure()
                .useJobActivator(activator)
                .useStorageProvider(storage)
                .useBackgroundJobServer(server, false)
                .initialize()
                .getJobScheduler();
    }

    @Override
    public void enqueueMany(List<BenchPayload> payloads) {
        scheduler.<JobRunrTarget, Long>enqueue(payloads.stream().map(BenchPayload::enqueuedNanos),
                (t, nanos) -> t.run(nanos));
    }

    @Override
    public void enqueueOne(BenchPayload payload) {
        long nanos = payload.enqueuedNanos();
        scheduler.<JobRunrTarget>enqueue(t -> t.run(nanos));
    }

    @Override
    public void startWorkers() {
        BackgroundJobServer server = JobRunr.getBackgroundJobServer();
        server.start();
    }

    @Override
    public long completed() throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() {
        try {
            JobRunr.destroy();
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }
}
