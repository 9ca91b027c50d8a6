package dev.sluice.wal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a full read of one segment found: its header, how many valid records with which ids, and
 * every damaged stretch.
 *
 * @param segment the file name
 * @param logId the log id in the header (0 when the header is damaged)
 * @param headerProblem why the header is not valid, or null
 * @param size the file's size in bytes
 * @param records the number of valid records
 * @param firstEntryId the first valid record's id, or -1
 * @param lastEntryId the last valid record's id, or -1
 * @param validEnd the offset just past the last valid record (the header's end when there is none)
 * @param damages damaged stretches in file order
 */
public record SegmentScan(String segment, long logId, String headerProblem, long size, long records,
                          long firstEntryId, long lastEntryId, long validEnd, List<WalDamage> damages) {

    public SegmentScan {
        damages = List.copyOf(damages);
    }

    /** Receives each valid record with its offset. */
    @FunctionalInterface
    interface Visitor {
        void record(long offset, long size, WalRecord record) throws IOException;
    }

    /**
     * Reads every record of a segment, resynchronising after damage. A header that is not valid is
     * reported and the records after it are read all the same: the framing does not depend on it.
     *
     * @param afterId records must have ids above this (the previous segment's last id, or -1)
     */
    static SegmentScan scan(String segment, SegmentReader reader, long afterId, Visitor visitor) throws IOException {
        SegmentFormat.Header header = reader.header();
        long size = reader.source().size();
        List<WalDamage> damages = new ArrayList<>();
        long pos = Math.min(SegmentFormat.HEADER_SIZE, size);
        long last = afterId;
        long first = -1;
        long count = 0;
        long validEnd = pos;
        while (pos < size) {
            SegmentReader.Attempt a = reader.readAt(pos, last);
            if (a.ok()) {
                long recordSize = a.next() - pos;
                visitor.record(pos, recordSize, a.record());
                if (first < 0) {
                    first = a.record().entryId();
                }
                last = a.record().entryId();
                count++;
                pos = a.next();
                validEnd = pos;
                continue;
            }
            long next = reader.resync(pos + 1, last);
            if (next < 0) {
                WalDamage.Kind kind = a.failure() == SegmentReader.Failure.TRUNCATED
                        ? WalDamage.Kind.TORN_TAIL : WalDamage.Kind.CORRUPT;
                damages.add(new WalDamage(segment, pos, size - pos, kind, a.reason()));
                break;
            }
            damages.add(new WalDamage(segment, pos, next - pos, WalDamage.Kind.CORRUPT, a.reason()));
            pos = next;
        }
        return new SegmentScan(segment, header.valid() ? header.logId() : 0, header.problem(), size, count,
                first, count == 0 ? -1 : last, validEnd, damages);
    }
}
