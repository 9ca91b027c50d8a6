package dev.sluice.wal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Parses records out of a segment and tells a valid record from damage. A record is valid when
 * its whole frame lies inside the file, its length is plausible, its type is not 0, its CRC32C
 * matches and its entry id follows the previous record's. Stateless apart from its source (and a scratch checksum): one per reading thread.
 *
 * <p>After damage, {@link #resync} looks for the next offset where a valid record starts, so one
 * flipped bit costs one record, not the rest of the segment. A false resync would need a CRC32C
 * match on bytes that are not a record (about one chance in four billion per candidate offset),
 * and its entry id would still have to follow the last good one.
 */
final class SegmentReader {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Why there is no valid record at an offset. */
    enum Failure {
        /** The file ends inside the record's frame: a torn write. */
        TRUNCATED,
        /** The frame is complete but wrong. */
        INVALID
    }

    /** The outcome of reading at one offset: a record (and where the next starts) or a failure. */
    record Attempt(WalRecord record, long next, Failure failure, String reason) {
        boolean ok() {
            return record != null;
        }
    }

    private final SegmentSource source;
    private final int[] offset = new int[1];
    private final CRC32C crc = new CRC32C();

    SegmentReader(SegmentSource source) {
        this.source = source;
    }

    SegmentSource source() {
        return source;
    }

    /** Reads the segment header, or says why it is not one. */
    SegmentFormat.Header header() throws IOException {
        int n = (int) Math.min(SegmentFormat.HEADER_SIZE, source.size());
        byte[] h = new byte[n];
        if (n > 0) {
            byte[] src = source.bytesAt(0, n, offset);
            System.arraycopy(src, offset[0], h, 0, n);
        }
        return SegmentFormat.parseHeader(h);
    }

    /** The record at {@code position} if it is valid and its id is greater than {@code afterId}. */
    Attempt readAt(long position, long afterId) throws IOException {
        long size = source.size();
        long left = size - position;
        if (left < SegmentFormat.RECORD_HEADER_SIZE) {
            return new Attempt(null, -1, Failure.TRUNCATED,
                    "record header cut short: " + left + " of " + SegmentFormat.RECORD_HEADER_SIZE + " bytes");
        }
        byte[] b = source.bytesAt(position, SegmentFormat.RECORD_HEADER_SIZE, offset);
        int at = offset[0];
        int length = (int) INT.get(b, at);
        int storedCrc = (int) INT.get(b, at + 4);
        long entryId = (long) LONG.get(b, at + 8);
        int type = b[at + 16] & 0xff;
        if (length < 0 || length > SegmentFormat.MAX_PAYLOAD) {
            return new Attempt(null, -1, Failure.INVALID, "implausible record length " + length);
        }
        long end = position + SegmentFormat.RECORD_HEADER_SIZE + length;
        if (end > size) {
            return new Attempt(null, -1, Failure.TRUNCATED,
                    "record of " + length + " payload bytes runs " + (end - size) + " bytes past the end of the file");
        }
        if (type == 0) {
            return new Attempt(null, -1, Failure.INVALID, "record type 0 (zeroed or overwritten bytes)");
        }
        if (entryId <= afterId) {
            return new Attempt(null, -1, Failure.INVALID, "entry id " + entryId + " does not follow " + afterId);
        }
        byte[] whole = source.bytesAt(position, SegmentFormat.RECORD_HEADER_SIZE + length, offset);
        at = offset[0];
        // The record's own bytes, checked where they lie: length, then id, type and payload (the
        // same bytes SegmentFormat.checksum covers), without copying them first.
        crc.reset();
        crc.update(whole, at, 4);
        crc.update(whole, at + 8, SegmentFormat.RECORD_HEADER_SIZE - 8 + length);
        if ((int) crc.getValue() != storedCrc) {
            return new Attempt(null, -1, Failure.INVALID, "checksum mismatch for entry id " + entryId);
        }
        int from = at + SegmentFormat.RECORD_HEADER_SIZE;
        byte[] payload = Arrays.copyOfRange(whole, from, from + length);
        return new Attempt(new WalRecord(entryId, type, payload), end, null, null);
    }

    /** The first offset after {@code from} where a valid record with an id above {@code afterId} starts, or -1. */
    long resync(long from, long afterId) throws IOException {
        long last = source.size() - SegmentFormat.RECORD_HEADER_SIZE;
        for (long q = from; q <= last; q++) {
            if (readAt(q, afterId).ok()) {
                return q;
            }
        }
        return -1;
    }
}
