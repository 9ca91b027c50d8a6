package dev.sluice.bench.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own for one measured system, so that systems never see each other's rows,
 * indexes or dead tuples: a new database on the server (dropped by {@link #close()}), or a new
 * SQLite file (deleted by {@link #close()}). Close every pool made from it first. Not
 * thread-safe.
 */
public final class BenchDatabase implements AutoCloseable {
    private final ServerBase base;
    private final String name;
    private final String url;
    private boolean closed;

    private BenchDatabase(ServerBase base, String name, String url) {
        this.base = base;
        this.name = name;
        this.url = url;
    }

    /** Creates a fresh database named after {@code system} and a random suffix. */
    public static BenchDatabase create(ServerBase base, String system) {
        String name = "sluice_bench_" + system.replaceAll("[^a-z0-9]", "") + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        if (base.store() == StoreKind.SQLITE) {
            return new BenchDatabase(base, name, "jdbc:sqlite:" + base.sqliteDir().resolve(name + ".db"));
        }
        admin(base, "CREATE DATABASE " + name);
        return new BenchDatabase(base, name, base.urlOf(name));
    }

    public StoreKind store() {
        return base.store();
    }

    public String url() {
        return url;
    }

    public String user() {
        return base.user();
    }

    public String password() {
        return base.password();
    }

    /**
     * A pool on this database for a baseline. SQLite gets the same settings Sluice uses (WAL,
     * synchronous NORMAL, a long busy timeout), so the comparison is of the queues, not of the
     * journal mode.
     */
    public HikariDataSource pool(String poolName, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName(poolName);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(60_000);
        if (user() != null) {
            config.setUsername(user());
        }
        if (password() != null) {
            config.setPassword(password());
        }
        switch (store()) {
            case SQLITE -> {
                config.addDataSourceProperty("journal_mode", "WAL");
                config.addDataSourceProperty("synchronous", "NORMAL");
                config.addDataSourceProperty("busy_timeout", "60000");
            }
            case POSTGRESQL -> config.addDataSourceProperty("reWriteBatchedInserts", "true");
            case MARIADB -> config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        return new HikariDataSource(config);
    }

    /** Drops the database (or deletes the SQLite file and its WAL). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (store() == StoreKind.SQLITE) {
            Path file = base.sqliteDir().resolve(name + ".db");
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                try {
                    Files.deleteIfExists(Path.of(file + suffix));
                } catch (IOException e) {
                    System.err.println("could not delete " + file + suffix + ": " + e.getMessage());
                }
            }
            return;
        }
        admin(base, store() == StoreKind.POSTGRESQL
                ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"
                : "DROP DATABASE IF EXISTS " + name);
    }

    private static void admin(ServerBase base, String sql) {
        try (Connection c = DriverManager.getConnection(base.adminUrl(), base.user(), base.password());
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' on " + base.adminUrl() + " failed: " + e.getMessage(), e);
        }
    }
}
