package dev.sluice.store.jdbc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Arrays;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format, encoded big-endian into a reusable array and sent to a
 * {@link CopyIn} in chunks: plain stores rather than {@code ByteArrayOutputStream}, whose every
 * write takes a lock. A null value is a field of length -1. Not thread-safe.
 */
final class BinaryCopyBuffer {
    /** Signature, flags and header-extension length that open every binary COPY stream. */
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0,
        0, 0, 0, 0};
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final int chunkBytes;
    private byte[] buf;
    private int size;

    /** @param chunkBytes how much {@link #sendIfFull} lets gather before it sends */
    BinaryCopyBuffer(int chunkBytes) {
        this.chunkBytes = chunkBytes;
        this.buf = new byte[chunkBytes + 1024];
    }

    /** Starts a COPY stream: its header. */
    void header() {
        ensure(HEADER.length);
        System.arraycopy(HEADER, 0, buf, size, HEADER.length);
        size += HEADER.length;
    }

    /** Starts a row of {@code fields} values. */
    void row(int fields) {
        int16(fields);
    }

    void int32Field(int v) {
        ensure(8);
        INT.set(buf, size, 4);
        INT.set(buf, size + 4, v);
        size += 8;
    }

    void int64Field(Long v) {
        if (v == null) {
            nullField();
            return;
        }
        ensure(12);
        INT.set(buf, size, 8);
        LONG.set(buf, size + 4, (long) v);
        size += 12;
    }

    void textField(String s) {
        if (s == null) {
            nullField();
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + bytes.length);
        INT.set(buf, size, bytes.length);
        System.arraycopy(bytes, 0, buf, size + 4, bytes.length);
        size += 4 + bytes.length;
    }

    /** Sends what has gathered once it reaches the chunk size, so the server works while the client encodes. */
    void sendIfFull(CopyIn in) throws SQLException {
        if (size >= chunkBytes) {
            send(in);
        }
    }

    /** Writes the trailer, sends the rest and ends the COPY. */
    void end(CopyIn in) throws SQLException {
        int16(-1);
        send(in);
        in.endCopy();
    }

    private void send(CopyIn in) throws SQLException {
        in.writeToCopy(buf, 0, size);
        size = 0;
    }

    private void nullField() {
        ensure(4);
        INT.set(buf, size, -1);
        size += 4;
    }

    private void int16(int v) {
        ensure(2);
        SHORT.set(buf, size, (short) v);
        size += 2;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }
}
