package dev.sluice.buffer.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.Sluice;
import dev.sluice.store.jdbc.Dialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;

/** Makes the three {@link BatchStore}s. Thread-safe (it holds no state). */
public final class BatchStores {

    private BatchStores() {
    }

    /** Batches in this process's memory: lost when it ends. */
    public static BatchStore memory() {
        return new MemoryBatchStore(Clock.systemUTC());
    }

    /**
     * Batches in a SQLite file of their own, created (with its folder) when missing, on one
     * connection of its own that the store closes. Several queues and processes may share the file.
     *
     * @param durable true to sync every stored batch to disk ({@code PRAGMA synchronous=FULL}):
     *        a stored batch then survives a power loss, at the price of slower stores; false
     *        ({@code NORMAL}) survives a crash of the process, not of the machine
     */
    public static BatchStore sqlite(Path file, boolean durable) {
        if (file == null) {
            throw new IllegalArgumentException("sqlite file must not be null");
        }
        HikariDataSource pool = sqlitePool(file.toAbsolutePath(), durable);
        try {
            return JdbcBatchStore.open(pool, Dialect.SQLITE, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /**
     * Batches in the {@code sluice_buffer_batch} table of the database behind {@code dataSource}
     * (SQLite, PostgreSQL or MariaDB), created by migration 003 if it is not there yet. The pool
     * stays the caller's: closing the store does not close it.
     */
    public static BatchStore database(DataSource dataSource) {
        if (dataSource == null) {
            throw new IllegalArgumentException("dataSource must not be null");
        }
        return JdbcBatchStore.open(dataSource, Dialect.detect(dataSource), () -> { });
    }

    /**
     * Batches in the database of a Sluice node, on its pool (on SQLite that is its one writer
     * connection, so the queue and the jobs never wait on each other's locks). Close the queue
     * before the node.
     */
    public static BatchStore database(Sluice sluice) {
        if (sluice == null) {
            throw new IllegalArgumentException("sluice must not be null");
        }
        return database(sluice.dataSource());
    }

    /**
     * One connection: SQLite has one writer at a time, and one connection that never waits on a
     * lock beats several that take turns through busy-waiting. Other processes on the same file
     * wait up to {@code busy_timeout}.
     */
    private static HikariDataSource sqlitePool(Path file, boolean durable) {
        try {
            Path parent = file.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of the SQLite file " + file, e);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + file);
        config.setPoolName("sluice-buffer-sqlite");
        config.setMaximumPoolSize(1);
        config.addDataSourceProperty("journal_mode", "WAL");
        config.addDataSourceProperty("synchronous", durable ? "FULL" : "NORMAL");
        config.addDataSourceProperty("busy_timeout", "30000");
        config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
        config.setConnectionTimeout(30_000);
        return new HikariDataSource(config);
    }
}
