package dev.sluice.store.jdbc;

import dev.sluice.store.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.LongStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Inserts many plain jobs with {@code COPY … FROM STDIN (FORMAT binary)}, the fastest way into
 * PostgreSQL: no array literals to build and parse, and the server inserts the first rows while
 * the client still encodes the rest (rows go out in chunks of {@value #CHUNK_BYTES} bytes, so
 * client and server work side by side on a two-core machine). Ids and the database clock come
 * first from one statement ({@code jobReserveIds}), because COPY returns nothing.
 * Not thread-safe; one per insert.
 */
final class PostgresJobCopier {
    /** Below this many jobs one INSERT over arrays is cheaper than the extra round trips. */
    static final int MIN_JOBS = 256;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final short FIELDS = 13;

    private final JdbcExecutor db;
    private final BinaryCopyBuffer out = new BinaryCopyBuffer(CHUNK_BYTES);

    PostgresJobCopier(JdbcExecutor db) {
        this.db = db;
    }

    /** True when {@code c} is PostgreSQL's own connection (perhaps behind a pool's proxy). */
    static boolean canCopy(Connection c) throws SQLException {
        return c.isWrapperFor(PGConnection.class);
    }

    /** Inserts {@code jobs} in the transaction of {@code c}; returns their ids in order. */
    List<Long> insert(Connection c, List<NewJob> jobs) throws SQLException {
        Reservation r = reserve(c, jobs.size());
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(db.sql("jobCopyIn").text());
        try {
            out.header();
            for (int i = 0; i < jobs.size(); i++) {
                row(r.ids().get(i), jobs.get(i), r.nowMillis());
                out.sendIfFull(copy);
            }
            out.end(copy);
        } catch (SQLException | RuntimeException | Error e) {
            // The copy failed: end it, or the connection stays in COPY mode. Ending it fails too
            // when the cause was a broken connection; that failure is kept with the cause, which
            // is what the caller needs to see.
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException | RuntimeException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
        return r.ids();
    }

    private Reservation reserve(Connection c, int n) throws SQLException {
        return db.query(c, "jobReserveIds", SqlParams.of().set("n", n), rs -> {
            long first = rs.getLong(1);
            long last = rs.getLong(2);
            java.sql.Array gaps = rs.getArray(3);
            List<Long> ids = gaps == null
                    ? LongStream.rangeClosed(first, last).boxed().toList()
                    : List.of((Long[]) gaps.getArray());
            return new Reservation(ids, rs.getLong(4));
        }).getFirst();
    }

    /** The columns in the order of {@code jobCopyIn}. */
    private void row(long id, NewJob j, long nowMillis) {
        out.row(FIELDS);
        out.int64Field(id);
        out.textField(j.kind());
        out.textField(j.queue());
        out.textField(j.state());
        out.int32Field(j.priority());
        out.textField(j.payload());
        out.textField(j.tags());
        out.int32Field(j.maxAttempts());
        out.int64Field(j.runAtMillis() != null ? j.runAtMillis() : nowMillis + j.delayMillis());
        out.int64Field(nowMillis);
        out.textField(j.key());
        out.textField(j.stream());
        out.int32Field(j.streamLimit());
    }

    private record Reservation(List<Long> ids, long nowMillis) {
    }
}
