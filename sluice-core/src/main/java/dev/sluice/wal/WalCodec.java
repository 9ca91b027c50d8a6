package dev.sluice.wal;

import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NewJob;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The payloads of Sluice's record types, in a small binary form: a format version byte, then the
 * fields in order; strings as UTF-8 with an int length (-1 for null), nullable longs behind a
 * presence byte. Stateless.
 */
final class WalCodec {
    static final int TYPE_JOB = 1;
    static final int TYPE_ACTIVITY = 2;
    static final int TYPE_COMPLETION = 3;
    private static final int VERSION = 1;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private WalCodec() {
    }

    /** A completion as logged, with what the engine's metrics need. */
    record Completion(String owner, int attempt, JobFinish finish, String queue, String kind) {
    }

    static byte[] job(NewJob j) {
        return write(out -> {
            text(out, j.kind());
            text(out, j.queue());
            text(out, j.state());
            out.writeInt(j.priority());
            text(out, j.payload());
            text(out, j.tags());
            out.writeInt(j.maxAttempts());
            nullableLong(out, j.runAtMillis());
            out.writeLong(j.delayMillis());
        });
    }

    static NewJob job(byte[] bytes) {
        return read(bytes, in -> new NewJob(text(in), text(in), text(in), in.readInt(), text(in), text(in), in.readInt(),
                nullableLong(in), in.readLong()));
    }

    static byte[] activity(NewActivity a) {
        return write(out -> {
            nullableLong(out, a.jobId());
            nullableLong(out, a.batchId());
            text(out, a.action());
            text(out, a.message());
            text(out, a.node());
            out.writeLong(a.loggedAtMillis());
        });
    }

    static NewActivity activity(byte[] bytes) {
        return read(bytes, in -> new NewActivity(nullableLong(in), nullableLong(in), text(in), text(in), text(in),
                in.readLong()));
    }

    static byte[] completion(Completion c) {
        return write(out -> {
            text(out, c.owner());
            out.writeInt(c.attempt());
            out.writeLong(c.finish().id());
            text(out, c.finish().state());
            out.writeLong(c.finish().retryDelayMillis());
            text(out, c.finish().result());
            text(out, c.finish().errors());
            text(out, c.queue());
            text(out, c.kind());
        });
    }

    static Completion completion(byte[] bytes) {
        return read(bytes, in -> {
            String owner = text(in);
            int attempt = in.readInt();
            JobFinish finish = new JobFinish(in.readLong(), attempt, text(in), in.readLong(), text(in), text(in));
            return new Completion(owner, attempt, finish, text(in), text(in));
        });
    }

    private interface Writer {
        void write(Out out);
    }

    private interface Reader<T> {
        T read(In in);
    }

    private static byte[] write(Writer w) {
        Out out = new Out();
        out.writeByte(VERSION);
        w.write(out);
        return out.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        In in = new In(bytes);
        try {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("record payload format " + version + " is unknown to this Sluice");
            }
            return r.read(in);
        } catch (IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new IllegalStateException("record payload does not decode: " + e, e);
        }
    }

    private static void text(Out out, String s) {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String text(In in) {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return in.readUtf8(n);
    }

    private static void nullableLong(Out out, Long v) {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long nullableLong(In in) {
        return in.readBoolean() ? in.readLong() : null;
    }

    /**
     * Big-endian writes into a growing array, as {@code DataOutputStream} over a
     * {@code ByteArrayOutputStream} would write them, without their locks and streams: a payload
     * is encoded on every append and decoded on every flush.
     */
    private static final class Out {
        private byte[] buf = new byte[256];
        private int size;

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        void writeByte(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void writeBoolean(boolean v) {
            writeByte(v ? 1 : 0);
        }

        void writeInt(int v) {
            ensure(4);
            INT.set(buf, size, v);
            size += 4;
        }

        void writeLong(long v) {
            ensure(8);
            LONG.set(buf, size, v);
            size += 8;
        }

        void write(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Big-endian reads from an array; running past its end throws {@link IndexOutOfBoundsException}. */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf) {
            this.buf = buf;
        }

        int readUnsignedByte() {
            return buf[pos++] & 0xff;
        }

        boolean readBoolean() {
            return buf[pos++] != 0;
        }

        int readInt() {
            int v = (int) INT.get(buf, pos);
            pos += 4;
            return v;
        }

        long readLong() {
            long v = (long) LONG.get(buf, pos);
            pos += 8;
            return v;
        }

        String readUtf8(int n) {
            Objects.checkFromIndexSize(pos, n, buf.length);
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
