package dev.sluice.store.jdbc;

import dev.sluice.internal.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * The databases Sluice runs on, and the few things that differ between them outside the .sql
 * files: how a list is bound and how a database is recognised.
 */
public enum Dialect {
    SQLITE("sqlite"),
    POSTGRESQL("postgresql"),
    MARIADB("mariadb");

    private final String dir;

    Dialect(String dir) {
        this.dir = dir;
    }

    /** The folder of this dialect's .sql files, and its name in metrics and logs. */
    public String dir() {
        return dir;
    }

    /** Recognises a JDBC URL; fails naming the URL's scheme when no dialect fits. */
    public static Dialect fromJdbcUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("unsupported JDBC URL '" + url
                + "': Sluice runs on jdbc:sqlite:, jdbc:postgresql: and jdbc:mariadb:");
    }

    /** Asks a data source which database it reaches. */
    public static Dialect detect(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            if (product.contains("sqlite")) {
                return SQLITE;
            }
            if (product.contains("postgres")) {
                return POSTGRESQL;
            }
            if (product.contains("mariadb") || product.contains("mysql")) {
                return MARIADB;
            }
            throw new IllegalArgumentException("unsupported database '" + product
                    + "': Sluice runs on SQLite, PostgreSQL and MariaDB");
        } catch (SQLException e) {
            throw new StoreException("cannot connect to detect the database: " + e.getMessage(), e);
        }
    }

    void bind(Connection connection, PreparedStatement ps, int index, Object value) throws SQLException {
        switch (value) {
            case null -> ps.setNull(index, Types.NULL);
            case SqlParams.SqlList list when this == POSTGRESQL ->
                    ps.setArray(index, connection.createArrayOf(list.elementType(), list.values().toArray()));
            case SqlParams.SqlList list -> ps.setString(index, Json.write(list.values()));
            case Boolean b -> ps.setBoolean(index, b);
            default -> ps.setObject(index, value);
        }
    }

    /**
     * Makes the database plan {@code ps} with its actual parameters on every execution. pgjdbc
     * switches a statement to a server-side prepared one after five runs, and PostgreSQL may then
     * keep a generic plan chosen from the statistics of that moment: a fetch first planned on an
     * almost empty table kept a bitmap scan and a sort of every waiting job after 100,000 had
     * arrived (75-95 ms per claim instead of 1-2 ms). The other drivers plan each execution anyway.
     */
    void planEachExecution(PreparedStatement ps) throws SQLException {
        if (this == POSTGRESQL && ps.isWrapperFor(org.postgresql.PGStatement.class)) {
            ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(0);
        }
    }
}
