package dev.sluice.wal;

import java.util.List;

/**
 * Consecutive records read from the log for one database transaction.
 *
 * @param seq the batch's number in read order; the watermark advances through them in this order
 * @param records the records, in entry id order
 * @param segment the segment the last record was read from
 * @param endOffset the offset just past the last record in that segment
 */
record FlushBatch(long seq, List<WalRecord> records, Segment segment, long endOffset) {

    long lastId() {
        return records.getLast().entryId();
    }
}
