package dev.sluice.wal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Parses records out of a segment and tells a valid record from damage. A record is valid when
 * its whole frame lies inside the file, its length is plausible, its type is not 0, its CRC32C
 * matches and its entry id follows the previous record's. Stateless apart from its source.
 *
 * <p>After damage, {@link #resync} looks for the next offset where a valid record starts, so one
 * flipped bit costs one record, not the rest of the segment. A false resync would need a CRC32C
 * match on bytes that are not a record (about one chance in four billion per candidate offset),
 * and its entry id would still have to follow the last good one.
 */
final class SegmentReader {

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
        ByteBuffer head = ByteBuffer.wrap(b, offset[0], SegmentFormat.RECORD_HEADER_SIZE).slice();
        int length = head.getInt(0);
        int storedCrc = head.getInt(4);
        long entryId = head.getLong(8);
        int type = head.get(16) & 0xff;
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
        byte[] payload = new byte[length];
        byte[] whole = source.bytesAt(position, SegmentFormat.RECORD_HEADER_SIZE + length, offset);
        System.arraycopy(whole, offset[0] + SegmentFormat.RECORD_HEADER_SIZE, payload, 0, length);
        int crc = SegmentFormat.checksum(entryId, type, payload, 0, length);
        if (crc != storedCrc) {
            return new Attempt(null, -1, Failure.INVALID, "checksum mismatch for entry id " + entryId);
        }
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
