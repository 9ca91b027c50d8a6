package dev.sluice.store.jdbc;

import dev.sluice.store.NewActivity;
import dev.sluice.store.WalEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
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
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, // flags
        0, 0, 0, 0}; // header extension length
    private static final int COLUMNS = 7;

    private final Buffer out = new Buffer();

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
                        out.write(HEADER, 0, HEADER.length);
                    }
                    row(e.entryId(), e.value());
                    if (++rows == ROWS_PER_COPY) {
                        end(in);
                        in = null;
                        rows = 0;
                    } else if (out.size() >= CHUNK_BYTES) {
                        send(in);
                    }
                }
            }
            if (in != null) {
                end(in);
            }
        } finally {
            if (in != null && in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private void end(CopyIn in) throws SQLException {
        out.int16(-1);
        send(in);
        in.endCopy();
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

    /**
     * Big-endian field encoding of the binary COPY format into a reusable array: plain stores
     * rather than {@code ByteArrayOutputStream}, whose every write takes a lock.
     */
    private static final class Buffer {
        private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

        private byte[] buf = new byte[CHUNK_BYTES + 1024];
        private int size;

        byte[] array() {
            return buf;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buf, size, length);
            size += length;
        }

        void int16(int v) {
            ensure(2);
            SHORT.set(buf, size, (short) v);
            size += 2;
        }

        void int64Field(Long v) {
            if (v == null) {
                ensure(4);
                INT.set(buf, size, -1);
                size += 4;
                return;
            }
            ensure(12);
            INT.set(buf, size, 8);
            LONG.set(buf, size + 4, (long) v);
            size += 12;
        }

        void textField(String s) {
            if (s == null) {
                ensure(4);
                INT.set(buf, size, -1);
                size += 4;
                return;
            }
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            ensure(4 + bytes.length);
            INT.set(buf, size, bytes.length);
            System.arraycopy(bytes, 0, buf, size + 4, bytes.length);
            size += 4 + bytes.length;
        }
    }
}
