package dev.sluice.store.jdbc;

import dev.sluice.store.NewActivity;
import dev.sluice.store.WalEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes activity rows with {@code COPY … FROM STDIN (FORMAT binary)} (statement
 * {@code activityCopy}): the cheapest way into PostgreSQL for both sides. Bound as arrays, the
 * rows cost the driver a text array literal per column and the server its parsing; in the binary
 * format a row is its values with their lengths. Not thread-safe: one per call.
 */
final class PostgresActivityCopy {
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, // flags
        0, 0, 0, 0}; // header extension length
    private static final short COLUMNS = 7;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(32 * 1024);
    private final DataOutputStream out = new DataOutputStream(bytes);

    /** Copies one batch's activities (with their entry ids as seq) in one COPY statement. */
    static void copy(JdbcExecutor db, Connection c, List<WalEntry<NewActivity>> batch) throws SQLException {
        byte[] data = new PostgresActivityCopy().encode(batch);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(db.sql("activityCopy").text());
        try {
            in.writeToCopy(data, 0, data.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }

    private byte[] encode(List<WalEntry<NewActivity>> batch) {
        try {
            out.write(HEADER);
            for (WalEntry<NewActivity> e : batch) {
                NewActivity a = e.value();
                out.writeShort(COLUMNS);
                bigint(a.jobId());
                bigint(a.batchId());
                text(a.action());
                text(a.message());
                text(a.node());
                bigint(a.loggedAtMillis());
                bigint(e.entryId());
            }
            out.writeShort(-1);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: does not happen
        }
    }

    private void bigint(Long value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(8);
            out.writeLong(value);
        }
    }

    private void text(String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            byte[] b = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(b.length);
            out.write(b);
        }
    }
}
