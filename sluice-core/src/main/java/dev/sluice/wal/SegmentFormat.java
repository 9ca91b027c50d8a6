package dev.sluice.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file. A segment starts with a 32-byte header: magic {@code SLUICEWL},
 * format version, the log's id, the first entry id the segment was created for, and a CRC32C of
 * those. Records follow back to back, each framed as
 *
 * <pre>
 *   length   int32   payload bytes
 *   crc      int32   CRC32C of length, entry id, type and payload
 *   entry id int64   increasing within the log
 *   type     int8    1..255 (0 never appears, so zero-filled space never passes)
 *   payload  length bytes
 * </pre>
 *
 * All numbers big-endian. The CRC covers the length too, so a flipped length is caught like a
 * flipped payload. Stateless.
 */
final class SegmentFormat {
    static final byte[] MAGIC = "SLUICEWL".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_SIZE = 32;
    static final int RECORD_HEADER_SIZE = 17;
    /** Larger lengths are damage: no record Sluice writes comes near it. */
    static final int MAX_PAYLOAD = 64 << 20;
    static final String SUFFIX = ".wal";

    private SegmentFormat() {
    }

    /** The file name of the segment created for {@code firstId}: sorts in log order. */
    static String fileName(long firstId) {
        return String.format("%020d%s", firstId, SUFFIX);
    }

    /** The first id in a segment file name, or -1 when the name is not a segment's. */
    static long firstIdOf(String fileName) {
        if (!fileName.endsWith(SUFFIX) || fileName.length() != 20 + SUFFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static ByteBuffer header(long logId, long firstId) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.put(MAGIC).putInt(VERSION).putLong(logId).putLong(firstId);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, HEADER_SIZE - 4);
        b.putInt((int) crc.getValue());
        return b.flip();
    }

    /** A parsed header, or why it is not one. */
    record Header(long logId, long firstId, String problem) {
        boolean valid() {
            return problem == null;
        }
    }

    static Header parseHeader(byte[] h) {
        if (h.length < HEADER_SIZE) {
            return new Header(0, 0, "header cut short: " + h.length + " of " + HEADER_SIZE + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (h[i] != MAGIC[i]) {
                return new Header(0, 0, "not a Sluice WAL segment (bad magic)");
            }
        }
        ByteBuffer b = ByteBuffer.wrap(h);
        int version = b.getInt(8);
        long logId = b.getLong(12);
        long firstId = b.getLong(20);
        int stored = b.getInt(28);
        CRC32C crc = new CRC32C();
        crc.update(h, 0, HEADER_SIZE - 4);
        if ((int) crc.getValue() != stored) {
            return new Header(logId, firstId, "header checksum mismatch");
        }
        if (version != VERSION) {
            return new Header(logId, firstId, "unknown format version " + version);
        }
        return new Header(logId, firstId, null);
    }

    /** Bytes a record with {@code payloadLength} takes. */
    static int recordSize(int payloadLength) {
        return RECORD_HEADER_SIZE + payloadLength;
    }

    /**
     * Writes one framed record at the buffer's position. {@code crc} is a scratch instance owned by
     * the caller's thread.
     */
    static void putRecord(ByteBuffer out, long entryId, int type, byte[] payload, CRC32C crc) {
        int start = out.position();
        out.putInt(payload.length).putInt(0).putLong(entryId).put((byte) type).put(payload);
        out.putInt(start + 4, checksum(out, start, payload.length, crc));
    }

    /** The CRC of the record framed at {@code start} (its crc field is not read). */
    static int checksum(ByteBuffer buf, int start, int payloadLength, CRC32C crc) {
        crc.reset();
        crc.update(buf.slice(start, 4));
        crc.update(buf.slice(start + 8, 9 + payloadLength));
        return (int) crc.getValue();
    }

    /** One framed record as bytes (tests, repair). */
    static byte[] encode(long entryId, int type, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(recordSize(payload.length));
        putRecord(b, entryId, type, payload, new CRC32C());
        return b.array();
    }
}
