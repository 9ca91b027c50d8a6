package dev.sluice.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Runs named statements: binds parameters by name, maps rows, wraps errors with the statement's
 * name, and gives transactions a single shape (commit on return, roll back on any throw).
 * Thread-safe.
 */
public final class JdbcExecutor {

    /** Maps the current row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Work done on one connection. */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final Dialect dialect;
    private final SqlStatements statements;

    public JdbcExecutor(DataSource dataSource, Dialect dialect, SqlStatements statements) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.statements = statements;
    }

    public Dialect dialect() {
        return dialect;
    }

    public Sql sql(String name) {
        return statements.get(name);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public <T> List<T> query(Connection c, String name, SqlParams params, RowMapper<T> mapper) throws SQLException {
        Sql sql = statements.get(name);
        try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(mapper.map(rs));
            }
            return out;
        }
    }

    public int update(Connection c, String name, SqlParams params) throws SQLException {
        Sql sql = statements.get(name);
        try (PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        }
    }

    /** Executes a statement whether it returns rows or a count (lock statements differ by dialect). */
    public void execute(Connection c, String name, SqlParams params) throws SQLException {
        Sql sql = statements.get(name);
        try (PreparedStatement ps = prepare(c, sql, params)) {
            ps.execute();
        }
    }

    /**
     * Runs one statement for each parameter set as a JDBC batch on one prepared statement (one
     * round trip where the driver allows); returns the update counts.
     */
    public int[] batch(Connection c, String name, List<SqlParams> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        Sql sql = statements.get(name);
        try (PreparedStatement ps = statement(c, sql)) {
            List<String> names = sql.params();
            for (SqlParams params : rows) {
                for (int i = 0; i < names.size(); i++) {
                    if (!params.has(names.get(i))) {
                        throw new IllegalArgumentException("statement '" + name + "' needs parameter :" + names.get(i));
                    }
                    dialect.bind(c, ps, i + 1, params.get(names.get(i)));
                }
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /**
     * Runs each statement of a multi-statement script (migrations), split at lines ending in ';'
     * outside dollar-quoted bodies ({@code $$ … $$}, as in a PostgreSQL function).
     */
    public void script(Connection c, String name, String text) throws SQLException {
        for (String statement : statements(text)) {
            String trimmed = stripComments(statement);
            if (!trimmed.isEmpty()) {
                try (var st = c.createStatement()) {
                    st.execute(trimmed);
                } catch (SQLException e) {
                    throw new SQLException("in " + name + ": " + e.getMessage() + "\n--- statement:\n" + trimmed,
                            e.getSQLState(), e);
                }
            }
        }
    }

    static List<String> statements(String script) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inBody = false;
        for (String line : script.split("\\r?\\n", -1)) {
            int quotes = 0;
            for (int i = line.indexOf("$$"); i >= 0; i = line.indexOf("$$", i + 2)) {
                quotes++;
            }
            inBody ^= quotes % 2 == 1;
            String stripped = line.stripTrailing();
            if (!inBody && stripped.endsWith(";")) {
                current.append(stripped, 0, stripped.length() - 1);
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        out.add(current.toString());
        return out;
    }

    private static String stripComments(String statement) {
        StringBuilder out = new StringBuilder();
        for (String line : statement.split("\\r?\\n")) {
            if (!line.strip().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString().strip();
    }

    public PreparedStatement prepare(Connection c, Sql sql, SqlParams params) throws SQLException {
        PreparedStatement ps = statement(c, sql);
        try {
            bind(c, ps, sql, params);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private PreparedStatement statement(Connection c, Sql sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.text());
        if (sql.replan()) {
            try {
                dialect.planEachExecution(ps);
            } catch (SQLException | RuntimeException e) {
                ps.close();
                throw e;
            }
        }
        return ps;
    }

    private void bind(Connection c, PreparedStatement ps, Sql sql, SqlParams params) throws SQLException {
        List<String> names = sql.params();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!params.has(name)) {
                throw new IllegalArgumentException("statement '" + sql.name() + "' needs parameter :" + name);
            }
            dialect.bind(c, ps, i + 1, params.get(name));
        }
    }

    /**
     * Prepares statement {@code name} once on {@code c}, to run it for many rows: parsing and
     * planning a statement costs more than running it on SQLite, so per-row loops must not
     * prepare per row. Close it before the connection goes back to the pool.
     */
    public Reused reuse(Connection c, String name) throws SQLException {
        Sql sql = statements.get(name);
        return new Reused(c, sql, statement(c, sql));
    }

    /** A statement prepared once and run many times on one connection. Not thread-safe. */
    public final class Reused implements AutoCloseable {
        private final Connection connection;
        private final Sql sql;
        private final PreparedStatement ps;

        private Reused(Connection connection, Sql sql, PreparedStatement ps) {
            this.connection = connection;
            this.sql = sql;
            this.ps = ps;
        }

        public <T> List<T> query(SqlParams params, RowMapper<T> mapper) throws SQLException {
            ps.clearParameters();
            bind(connection, ps, sql, params);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        }

        public int update(SqlParams params) throws SQLException {
            ps.clearParameters();
            bind(connection, ps, sql, params);
            return ps.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            ps.close();
        }
    }

    /** Runs {@code work} on a pooled connection in autocommit mode. */
    public <T> T withConnection(String what, ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction on a pooled connection. */
    public <T> T inTransaction(String what, ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return inTransaction(c, work);
        } catch (SQLException e) {
            throw new StoreException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction on {@code c}, restoring its autocommit mode afterwards. */
    public static <T> T inTransaction(Connection c, ConnectionWork<T> work) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
