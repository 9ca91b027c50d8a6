package dev.sluice.wal;

import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NewJob;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

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
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalStateException("record payload format " + version + " is unknown to this Sluice");
            }
            return r.read(in);
        } catch (IOException e) {
            throw new IllegalStateException("record payload does not decode: " + e, e);
        }
    }

    private static void text(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String text(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    private static void nullableLong(DataOutputStream out, Long v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long nullableLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
