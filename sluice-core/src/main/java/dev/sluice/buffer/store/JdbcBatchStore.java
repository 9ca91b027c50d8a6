package dev.sluice.buffer.store;

import dev.sluice.store.jdbc.Dialect;
import dev.sluice.store.jdbc.JdbcExecutor;
import dev.sluice.store.jdbc.Migrator;
import dev.sluice.store.jdbc.SqlParams;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import dev.sluice.store.jdbc.SqlStatements;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.sql.DataSource;

/**
 * Batches in the {@code sluice_buffer_batch} table (migration 003) of a SQLite, PostgreSQL or
 * MariaDB database, through the statements of the dialect's {@code buffer.sql}. A take is one
 * statement on SQLite (single writer) and PostgreSQL ({@code SKIP LOCKED}); MariaDB, which has no
 * {@code UPDATE … RETURNING}, overrides it ({@link MariaDbBatchStore}). Times are on the
 * database clock, so processes with skewed clocks agree on leases. Thread-safe.
 */
class JdbcBatchStore implements BatchStore {
    static final String[] REQUIRED = {
        "batchInsert", "batchDelete", "batchReturn", "batchRenewLeases", "batchReleaseOwned",
        "batchCountByState", "batchList", "batchRetryFailed", "batchDeleteFailed"};
    static final Comparator<StoredBatch> TAKE_ORDER =
            Comparator.comparingInt(StoredBatch::priority).reversed().thenComparingLong(StoredBatch::id);

    protected final JdbcExecutor db;
    private final AutoCloseable onClose;

    JdbcBatchStore(JdbcExecutor db, AutoCloseable onClose) {
        this.db = db;
        this.onClose = onClose;
    }

    /**
     * Checks the dialect's statements, applies pending migrations (which create the table) and
     * returns the dialect's store.
     *
     * @param onClose closed with the store: the pool when the store made it, else nothing
     */
    static JdbcBatchStore open(DataSource dataSource, Dialect dialect, AutoCloseable onClose) {
        SqlStatements statements = SqlStatements.load(dialect.dir(), "buffer", "migration");
        statements.require(REQUIRED);
        JdbcExecutor db = new JdbcExecutor(dataSource, dialect, statements);
        new Migrator(db).migrate();
        if (dialect == Dialect.MARIADB) {
            statements.require("batchTakeCandidates", "batchTakeClaim", "batchGetMany");
            return new MariaDbBatchStore(db, onClose);
        }
        statements.require("batchTake");
        return new JdbcBatchStore(db, onClose);
    }

    @Override
    public long batchInsert(String queue, int priority, byte[] payload, int items) {
        return db.withConnection("store of a batch of " + items + " item(s)", c -> db.query(c, "batchInsert",
                SqlParams.of().set("queue", queue).set("priority", priority).set("payload", payload).set("items", items),
                rs -> rs.getLong(1)).getFirst());
    }

    @Override
    public List<StoredBatch> batchTake(String queue, String owner, int limit, Duration lease) {
        List<StoredBatch> taken = db.inTransaction("take from buffer queue " + queue,
                c -> db.query(c, "batchTake", takeParams(queue, owner, limit, lease), JdbcBatchStore::map));
        return sorted(taken);
    }

    static SqlParams takeParams(String queue, String owner, int limit, Duration lease) {
        return SqlParams.of().set("queue", queue).set("owner", owner).set("limit", limit)
                .set("lease_ms", lease.toMillis());
    }

    static List<StoredBatch> sorted(List<StoredBatch> batches) {
        List<StoredBatch> copy = new ArrayList<>(batches);
        copy.sort(TAKE_ORDER);
        return copy;
    }

    @Override
    public int batchDelete(String owner, List<Long> ids) {
        if (ids.isEmpty()) {
            return 0;
        }
        return db.withConnection("delete of " + ids.size() + " processed batch(es)", c -> db.update(c, "batchDelete",
                SqlParams.of().set("owner", owner).set("ids", SqlList.bigint(ids))));
    }

    @Override
    public int batchReturn(String owner, List<BatchReturn> returns) {
        if (returns.isEmpty()) {
            return 0;
        }
        return db.inTransaction("return of " + returns.size() + " batch(es)", c -> {
            int n = 0;
            for (BatchReturn r : returns) {
                n += db.update(c, "batchReturn", SqlParams.of()
                        .set("id", r.id())
                        .set("owner", owner)
                        .set("state", r.state().dbName())
                        .set("attempts", r.attempts())
                        .set("delay_ms", r.delay() == null ? null : r.delay().toMillis())
                        .set("error", r.error()));
            }
            return n;
        });
    }

    @Override
    public int batchRenewLeases(String owner, Duration lease) {
        return db.withConnection("lease renewal of buffered batches", c -> db.update(c, "batchRenewLeases",
                SqlParams.of().set("owner", owner).set("lease_ms", lease.toMillis())));
    }

    @Override
    public int batchReleaseOwned(String owner) {
        return db.withConnection("release of held batches", c -> db.update(c, "batchReleaseOwned",
                SqlParams.of().set("owner", owner)));
    }

    @Override
    public BatchCounts batchCountByState(String queue) {
        long[] batches = new long[BatchState.values().length];
        long[] items = new long[batches.length];
        db.withConnection("count of buffered batches", c -> db.query(c, "batchCountByState",
                SqlParams.of().set("queue", queue), rs -> {
                    int state = BatchState.fromDb(rs.getString("state")).ordinal();
                    batches[state] = rs.getLong("batches");
                    items[state] = rs.getLong("items");
                    return null;
                }));
        return new BatchCounts(batches[0], batches[1], batches[2], items[0], items[1], items[2]);
    }

    @Override
    public List<StoredBatch> batchList(String queue, BatchState state, int limit) {
        return db.withConnection("list of buffered batches", c -> db.query(c, "batchList", SqlParams.of()
                .set("queue", queue).set("state", state == null ? null : state.dbName()).set("limit", limit),
                JdbcBatchStore::map));
    }

    @Override
    public int batchRetryFailed(String queue, Long id) {
        return db.withConnection("retry of failed batches", c -> db.update(c, "batchRetryFailed",
                SqlParams.of().set("queue", queue).set("id", id)));
    }

    @Override
    public boolean batchDeleteFailed(String queue, long id) {
        return db.withConnection("delete of failed batch " + id, c -> db.update(c, "batchDeleteFailed",
                SqlParams.of().set("queue", queue).set("id", id))) == 1;
    }

    static StoredBatch map(ResultSet rs) throws SQLException {
        long due = rs.getLong("due_at");
        Instant dueAt = rs.wasNull() ? null : Instant.ofEpochMilli(due);
        return new StoredBatch(rs.getLong("id"), BatchState.fromDb(rs.getString("state")), rs.getInt("priority"),
                rs.getInt("attempts"), rs.getInt("items"), rs.getBytes("payload"),
                Instant.ofEpochMilli(rs.getLong("created_at")), dueAt, rs.getString("last_error"));
    }

    @Override
    public void close() {
        try {
            onClose.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the batch store failed: " + e.getMessage(), e);
        }
    }
}
