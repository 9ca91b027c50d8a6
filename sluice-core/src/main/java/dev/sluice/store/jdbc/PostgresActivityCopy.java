package dev.sluice.store.jdbc;

import dev.sluice.store.NewActivity;
import dev.sluice.store.WalEntry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes the activity rows of a flush transaction with one {@code COPY … FROM STDIN (FORMAT
 * binary)} (statement {@code activityCopy}): the cheapest way into PostgreSQL for both sides.
 * Bound as arrays, the rows cost the driver a text array literal per column and the server its
 * parsing; in the binary format a row is its values with their lengths. One COPY for all the
 * transaction's batches rather than one per batch: a COPY costs two round trips (its start, then
 * its data and end), which the batches of a transaction would otherwise pay ten times over. Rows go
 * out in chunks of {@value #CHUNK_BYTES} bytes, so the server inserts the first ones while the
 * client encodes the rest. Not thread-safe: one per call.
 */
final class PostgresActivityCopy {
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, // flags
        0, 0, 0, 0}; // header extension length
    private static final int COLUMNS = 7;

    private final Buffer out = new Buffer();

    private PostgresActivityCopy() {
    }

    /** Copies the activities of all {@code batches} (with their entry ids as seq) in one COPY statement. */
    static void copy(JdbcExecutor db, Connection c, List<List<WalEntry<NewActivity>>> batches) throws SQLException {
        new PostgresActivityCopy().copyAll(db, c, batches);
    }

    private void copyAll(JdbcExecutor db, Connection c, List<List<WalEntry<NewActivity>>> batches)
            throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(db.sql("activityCopy").text());
        try {
            out.write(HEADER, 0, HEADER.length);
            for (List<WalEntry<NewActivity>> batch : batches) {
                for (WalEntry<NewActivity> e : batch) {
                    row(e.entryId(), e.value());
                    if (out.size() >= CHUNK_BYTES) {
                        send(in);
                    }
                }
            }
            out.int16(-1);
            send(in);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    /** The columns in the order of {@code activityCopy}. */
    private void row(long entryId, NewActivity a) {
        out.int16(COLUMNS);
        out.int64Field(a.jobId());
        out.int64Field(a.batchId());
        out.textField(a.action());
        out.textField(a.message());
        out.textField(a.node());
        out.int64Field(a.loggedAtMillis());
        out.int64Field(entryId);
    }

    private void send(CopyIn in) throws SQLException {
        in.writeToCopy(out.array(), 0, out.size());
        out.reset();
    }

    /** Big-endian field encoding of the binary COPY format, over a reusable byte array. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(CHUNK_BYTES + 1024);
        }

        byte[] array() {
            return buf;
        }

        void int16(int v) {
            write(v >>> 8);
            write(v);
        }

        void int32(int v) {
            write(v >>> 24);
            write(v >>> 16);
            write(v >>> 8);
            write(v);
        }

        void int64Field(Long v) {
            if (v == null) {
                int32(-1);
                return;
            }
            int32(8);
            int32((int) (v >>> 32));
            int32((int) (long) v);
        }

        void textField(String s) {
            if (s == null) {
                int32(-1);
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            int32(bytes.length);
            write(bytes, 0, bytes.length);
        }
    }
}
