package dev.sluice.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Records framed in memory, waiting for the writer to write them out in one go. Appenders fill
 * one buffer while the writer writes the other. A roll mark says that the records from that byte
 * on go into a new segment. Not thread-safe: guarded by the writer's lock.
 */
final class AppendBuffer {
    private static final int INITIAL_BYTES = 1 << 20;

    /** Records from {@code position} on belong to a new segment created for {@code firstId}. */
    record Roll(int position, long firstId) {
    }

    private final int maxRecords;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer bytes = ByteBuffer.allocate(INITIAL_BYTES);
    private final List<Roll> rolls = new ArrayList<>();
    private int records;
    private long firstId = -1;
    private long lastId = -1;

    AppendBuffer(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    /** True when a record of {@code payloadLength} bytes cannot join the records already here. */
    boolean full(int payloadLength) {
        if (records == 0) {
            return false;
        }
        return records >= maxRecords || bytes.remaining() < SegmentFormat.recordSize(payloadLength);
    }

    void put(long entryId, int type, byte[] payload) {
        int needed = SegmentFormat.recordSize(payload.length);
        if (bytes.remaining() < needed) {
            // Only an empty buffer gets here (see full()): make room for one oversized record.
            bytes = ByteBuffer.allocate(Math.max(needed, INITIAL_BYTES));
        }
        SegmentFormat.putRecord(bytes, entryId, type, payload, crc);
        if (firstId < 0) {
            firstId = entryId;
        }
        lastId = entryId;
        records++;
    }

    void markRoll(long firstIdOfNext) {
        rolls.add(new Roll(bytes.position(), firstIdOfNext));
    }

    boolean isEmpty() {
        return records == 0;
    }

    int records() {
        return records;
    }

    long firstId() {
        return firstId;
    }

    long lastId() {
        return lastId;
    }

    List<Roll> rolls() {
        return rolls;
    }

    /** The framed bytes from {@code from} to {@code to}, for writing. */
    ByteBuffer slice(int from, int to) {
        return bytes.slice(from, to - from);
    }

    int length() {
        return bytes.position();
    }

    void clear() {
        bytes.clear();
        rolls.clear();
        records = 0;
        firstId = -1;
        lastId = -1;
    }
}
