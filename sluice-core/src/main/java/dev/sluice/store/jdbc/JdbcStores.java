package dev.sluice.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.store.JobStore;
import dev.sluice.store.Notifier;
import dev.sluice.store.Stores;
import dev.sluice.store.WalStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;

/**
 * Opens the stores of a database: checks that every statement exists, applies pending
 * migrations, and picks the dialect's implementations.
 */
public final class JdbcStores {
    private static final String[] FILES = {"job", "cluster", "migration", "gate", "cdc", "schedule", "activity", "wal"};
    private static final String[] REQUIRED = {
        "dbNow", "jobInsert", "jobHandBack", "jobRenewLeases", "jobCancelRequested", "jobLeasesHeld",
        "jobProgress", "jobCancelWaiting", "jobCancelRunning", "jobRetry", "jobDelete", "jobGet", "jobList",
        "jobCountByQueueAndState", "jobNextRunAt", "jobWaitingKinds", "jobExpiredLeases", "jobRescue",
        "jobPruneFinished", "nodeHeartbeat", "nodeDelete", "nodeListLive", "nodePruneDead",
        "leaderAttemptElect", "leaderGetOwner", "leaderResign", "migrationLock", "migrationUnlock",
        "migrationCreateTable", "migrationListApplied", "migrationRecord", "lockAcquire", "lockPrune",
        "jobKeyWaiting", "jobSupersede", "jobStreamActiveCount", "jobStreamBlockedHead", "jobStreamPromote", "jobBlock",
        "jobStreamOf", "jobStreamsStalled", "rateCount", "rateRecord", "ratePrune", "cdcHashList", "cdcHashUpsert",
        "cdcHashDelete", "scheduleUpsert", "scheduleList", "scheduleGet", "scheduleAdvance", "scheduleSlotInsert",
        "scheduleSlotSetJob", "scheduleRecordRun", "schedulePause", "scheduleResume", "scheduleSlotPrune",
        "activityInsert", "activityListByJob", "activityListByBatch", "walLogGet", "walLogPrune", "walAppliedPrune",
        "walLogOpen", "walLogLock", "walAppliedRanges", "walAppliedRangeInsert"};

    /** The write-ahead log's statements where it applies entries with batched statements. */
    private static final String[] BATCHED_WAL = {
        "walJobInsert", "walJobFinish", "walJobFinishCancelled"};

    private JdbcStores() {
    }

    /**
     * Opens stores on {@code dataSource}.
     *
     * @param onClose closed with the stores (the pool, when Sluice created it); use {@code () -> {}} for a caller's pool
     */
    public static Stores open(DataSource dataSource, Dialect dialect, AutoCloseable onClose) {
        SqlStatements statements = SqlStatements.load(dialect.dir(), FILES);
        statements.require(REQUIRED);
        JdbcExecutor db = new JdbcExecutor(dataSource, dialect, statements);
        new Migrator(db).migrate();
        JdbcJobStore jobs = switch (dialect) {
            case POSTGRESQL -> {
                statements.require("jobFetchAvailable", "jobInsertMany", "jobFinishMany", "jobNotify", "jobNotifyCancel",
                        "streamLockMany", "jobStreamPromoteHeadsClaiming", "activityCopy",
                        "walJobFinishMany", "walAppliedRangeClaim");
                yield new PostgresJobStore(db);
            }
            case MARIADB -> {
                statements.require("jobInsertMany", "jobFetchCandidates", "jobClaim", "jobGetMany", "jobGetClaimed", "jobFinishLock",
                        "jobFinishMany", "jobRunningIds");
                statements.require(BATCHED_WAL);
                yield new MariaDbJobStore(db);
            }
            case SQLITE -> {
                statements.require("jobFetchAvailable", "jobFinishMany", "jobFinishSucceeded");
                statements.require(BATCHED_WAL);
                yield new SqliteJobStore(db);
            }
        };
        var notifier = dialect == Dialect.POSTGRESQL ? new PostgresNotifier(dataSource) : Notifier.NONE;
        WalStore wal = dialect == Dialect.POSTGRESQL ? new PostgresWalStore(db) : new JdbcWalStore(db);
        return new Stores(jobs, new JdbcNodeStore(db), new JdbcLeaderStore(db), new JdbcScheduleStore(db, jobs), notifier,
                new JdbcCdcStore(db, jobs), new JdbcActivityStore(db), wal, dialect.dir(), onClose);
    }

    /**
     * A pool for a JDBC URL. SQLite gets one connection: SQLite has one writer at a time, and one
     * connection that never waits on a lock beats several that take turns through busy-waiting.
     */
    public static HikariDataSource pool(String jdbcUrl, String user, String password, int maxSize) {
        Dialect dialect = Dialect.fromJdbcUrl(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("sluice-" + dialect.dir());
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        switch (dialect) {
            case SQLITE -> {
                createParent(jdbcUrl.substring("jdbc:sqlite:".length()));
                config.setMaximumPoolSize(1);
                // Switching a fresh file to WAL mode can answer SQLITE_BUSY at once, without the busy
                // handler, while another process does the same: keep trying rather than fail start-up.
                config.setInitializationFailTimeout(30_000);
                config.addDataSourceProperty("journal_mode", "WAL");
                config.addDataSourceProperty("synchronous", "NORMAL");
                config.addDataSourceProperty("busy_timeout", "30000");
                config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
                // The default page cache (2 MiB) holds a few thousand jobs: beyond that every claim
                // and completion read its pages back from the OS. 64 MiB, and reads through mmap.
                config.addDataSourceProperty("cache_size", "-65536");
                config.addDataSourceProperty("mmap_size", "268435456");
                // Checkpoints (copying the WAL back into the file, with an fsync) every 40 MiB of
                // writes instead of every 4 MiB: a busy queue checkpointed several times a second.
                config.addDataSourceProperty("wal_autocheckpoint", "10000");
            }
            case POSTGRESQL -> {
                config.setMaximumPoolSize(maxSize);
                config.addDataSourceProperty("reWriteBatchedInserts", "true");
            }
            case MARIADB -> {
                config.setMaximumPoolSize(maxSize);
                config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            }
        }
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }

    private static void createParent(String path) {
        if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the SQLite file " + path, e);
        }
    }
}
