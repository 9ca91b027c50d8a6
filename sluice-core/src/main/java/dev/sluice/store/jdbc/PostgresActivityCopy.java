package dev.sluice.store.jdbc;

import dev.sluice.store.NewActivity;
import dev.sluice.store.WalEntry;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes the activity rows of a flush transaction with {@code COPY … FROM STDIN (FORMAT binary)}
 * (statement {@code activityCopy}): the cheapest way into PostgreSQL for both sides. Bound as
 * arrays, the rows cost the driver a text array literal per column and the server its parsing; in
 * the binary format a row is its values with their lengths.
 *
 * <p>One COPY per {@value #ROWS_PER_COPY} rows of the transaction, whatever its batches: each COPY
 * costs two round trips (its start, then its data and end) and its set-up on the server, which one
 * COPY per batch of 100 paid ten times per transaction. Not one COPY for the whole transaction
 * either: PostgreSQL buffers up to 1,000 rows of a COPY for its multi-row insert, and each buffered
 * row's slot pins the table's row descriptor with the transaction's resource owner, which files
 * equal entries in one probe chain, so the cost per row grows with the rows of the COPY (creating
 * and dropping those slots took 18 % of the server's time in a profile of 1,000-row COPYs on
 * PostgreSQL 15). Measured there, 300 to 500 rows per COPY cost the server about 0.3 µs per row
 * (5 %) less than 1,000. Rows go out in chunks of {@value #CHUNK_BYTES} bytes, so the server
 * inserts the first ones while the client encodes the rest. Not thread-safe: one per call.
 */
final class PostgresActivityCopy {
    private static final int ROWS_PER_COPY = 500;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int COLUMNS = 7;

    private final BinaryCopyBuffer out = new BinaryCopyBuffer(CHUNK_BYTES);

    private PostgresActivityCopy() {
    }

    /**
     * Copies the activities of all {@code batches} (with their entry ids as seq), in one COPY per
     * {@value #ROWS_PER_COPY} rows.
     */
    static void copy(JdbcExecutor db, Connection c, List<List<WalEntry<NewActivity>>> batches) throws SQLException {
        new PostgresActivityCopy().copyAll(db, c, batches);
    }

    private void copyAll(JdbcExecutor db, Connection c, List<List<WalEntry<NewActivity>>> batches)
            throws SQLException {
        CopyIn in = null;
        int rows = 0;
        try {
            for (List<WalEntry<NewActivity>> batch : batches) {
                for (WalEntry<NewActivity> e : batch) {
                    if (in == null) {
                        in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(db.sql("activityCopy").text());
                        out.header();
                    }
                    row(e.entryId(), e.value());
                    if (++rows == ROWS_PER_COPY) {
                        out.end(in);
                        in = null;
                        rows = 0;
                    } else {
                        out.sendIfFull(in);
                    }
                }
            }
            if (in != null) {
                out.end(in);
            }
        } finally {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The columns in the order of {@code activityCopy}. */
    private void row(long entryId, NewActivity a) {
        out.row(COLUMNS);
        out.int64Field(a.jobId());
        out.int64Field(a.batchId());
        out.textField(a.action());
        out.textField(a.message());
        out.textField(a.node());
        out.int64Field(a.loggedAtMillis());
        out.int64Field(entryId);
    }

}
