package dev.sluice.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the numbered migrations of a dialect ({@code sql/<dialect>/migrations/index} lists them
 * in order) and records each in {@code sluice_migration}. Several nodes may start at once: a
 * database lock (advisory lock, GET_LOCK, or SQLite's write lock) lets one apply while the others
 * wait, and each migration checks again inside its transaction that it is still pending.
 */
public final class Migrator {
    private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

    private final JdbcExecutor db;

    public Migrator(JdbcExecutor db) {
        this.db = db;
    }

    /** A migration file. */
    record Migration(int version, String file) {
    }

    static List<Migration> list(Dialect dialect) {
        String index = SqlStatements.read(SqlStatements.resource(dialect.dir(), "migrations/index"));
        return index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(f -> new Migration(Integer.parseInt(f.substring(0, f.indexOf('_'))), f)).toList();
    }

    /** Applies every pending migration; returns how many this call applied. */
    public int migrate() {
        List<Migration> migrations = list(db.dialect());
        return db.withConnection("migration", c -> {
            db.query(c, "migrationLock", SqlParams.of(), rs -> rs.getObject(1));
            try {
                JdbcExecutor.inTransaction(c, tx -> db.update(tx, "migrationCreateTable", SqlParams.of()));
                int applied = 0;
                for (Migration m : migrations) {
                    if (applyIfPending(c, m)) {
                        applied++;
                    }
                }
                return applied;
            } finally {
                db.query(c, "migrationUnlock", SqlParams.of(), rs -> rs.getObject(1));
            }
        });
    }

    private boolean applyIfPending(Connection c, Migration m) throws SQLException {
        return JdbcExecutor.inTransaction(c, tx -> {
            Set<Integer> done = new HashSet<>(db.query(c, "migrationListApplied", SqlParams.of(), rs -> rs.getInt(1)));
            if (done.contains(m.version())) {
                return false;
            }
            String text = SqlStatements.read(SqlStatements.resource(db.dialect().dir(), "migrations/" + m.file()));
            db.script(c, m.file(), text);
            db.update(c, "migrationRecord", SqlParams.of().set("version", m.version()).set("name", m.file()));
            LOG.info("applied migration {} on {}", m.file(), db.dialect().dir());
            return true;
        });
    }
}
