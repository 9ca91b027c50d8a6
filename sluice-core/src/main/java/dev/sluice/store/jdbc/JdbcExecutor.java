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
     * Runs each statement of a multi-statement script (migrations), as cut by {@link #statements}.
     */
    public void script(Connection c, String name, String text) throws SQLException {
        for (String statement : statements(text, dialect)) {
            try (var st = c.createStatement()) {
                st.execute(statement);
            } catch (SQLException e) {
                throw new SQLException("in " + name + ": " + e.getMessage() + "\n--- statement:\n" + statement,
                        e.getSQLState(), e);
            }
        }
    }

    /**
     * Cuts a script into statements at each {@code ;} that is code: not inside a quoted string
     * ({@code '…'} with {@code ''} for a quote, {@code "…"}, {@code `…`}), a dollar-quoted body
     * ({@code $$ … $$} or {@code $tag$ … $tag$}, as in a PostgreSQL function, where statements of
     * the body end in {@code ;} too) or a comment ({@code -- …} to the end of the line,
     * {@code /* … *}{@code /}). Line comments are dropped, so that a statement that is only comments
     * is not sent at all; block comments are kept (MariaDB runs {@code /*! … *}{@code /}). Returns
     * the statements stripped of surrounding blanks, without empty ones. As {@code dialect} reads
     * them: on MariaDB a backslash escapes the next character in {@code '…'} and {@code "…"}; on
     * PostgreSQL it does in {@code E'…'} strings only, and block comments nest.
     */
    static List<String> statements(String script, Dialect dialect) {
        boolean backslashStrings = dialect == Dialect.MARIADB;
        boolean postgres = dialect == Dialect.POSTGRESQL;
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int n = script.length();
        int i = 0;
        while (i < n) {
            char ch = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : 0;
            String tag = ch == '$' ? dollarTag(script, i) : null;
            int end;
            if (ch == '-' && next == '-') {
                // The newline stays: it may be all that separates the code on either side.
                end = script.indexOf('\n', i);
                i = end < 0 ? n : end;
                continue;
            } else if (ch == '/' && next == '*') {
                end = blockCommentEnd(script, i, postgres);
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                end = quotedEnd(script, i, backslashStrings && ch != '`');
            } else if (postgres && (ch == 'E' || ch == 'e') && next == '\''
                    && (i == 0 || !nameChar(script.charAt(i - 1)))) {
                end = quotedEnd(script, i + 1, true);
            } else if (tag != null) {
                end = script.indexOf(tag, i + tag.length());
                end = end < 0 ? n : end + tag.length();
            } else if (ch == ';') {
                addStatement(out, current);
                i++;
                continue;
            } else {
                end = i + 1;
            }
            current.append(script, i, end);
            i = end;
        }
        addStatement(out, current);
        return out;
    }

    private static void addStatement(List<String> out, StringBuilder current) {
        String statement = current.toString().strip();
        if (!statement.isEmpty()) {
            out.add(statement);
        }
        current.setLength(0);
    }

    /** Statements as standard SQL (and SQLite) reads them: no backslash escapes, no nested comments. */
    static List<String> statements(String script) {
        return statements(script, Dialect.SQLITE);
    }

    /**
     * Where the quoted text opening at {@code start} ends (past its closing quote); a doubled quote
     * is one quote, and with {@code backslashes} a backslash escapes the character after it.
     */
    private static int quotedEnd(String script, int start, boolean backslashes) {
        char quote = script.charAt(start);
        int i = start + 1;
        while (i < script.length()) {
            if (backslashes && script.charAt(i) == '\\') {
                i += 2;
                continue;
            }
            if (script.charAt(i) == quote) {
                if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return script.length();
    }

    /** Where the block comment opening at {@code start} ends (past its close); with {@code nested}, inner ones count. */
    private static int blockCommentEnd(String script, int start, boolean nested) {
        int depth = 1;
        int i = start + 2;
        while (i < script.length() - 1) {
            char ch = script.charAt(i);
            char next = script.charAt(i + 1);
            if (ch == '*' && next == '/') {
                if (--depth == 0) {
                    return i + 2;
                }
                i += 2;
            } else if (nested && ch == '/' && next == '*') {
                depth++;
                i += 2;
            } else {
                i++;
            }
        }
        return script.length();
    }

    /**
     * The dollar quote ({@code $$} or {@code $tag$}) opening at {@code start}, or null: a tag is
     * a name (not starting with a digit, so {@code $1} is a parameter), and a {@code $} right
     * after a name's character belongs to that name ({@code a$b$}).
     */
    private static String dollarTag(String script, int start) {
        if (start > 0 && (nameChar(script.charAt(start - 1)) || script.charAt(start - 1) == '$')) {
            return null;
        }
        int i = start + 1;
        if (i < script.length() && !Character.isDigit(script.charAt(i))) {
            while (i < script.length() && nameChar(script.charAt(i))) {
                i++;
            }
        }
        return i < script.length() && script.charAt(i) == '$' ? script.substring(start, i + 1) : null;
    }

    private static boolean nameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
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
