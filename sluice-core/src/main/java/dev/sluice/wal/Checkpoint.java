package dev.sluice.wal;

import java.util.List;

/**
 * How far the log has reached the database: every record up to {@code flushedThroughId} is in
 * it, and each segment's mark says how far into that segment this is. Written after flushes,
 * read at start-up so that recovery replays only what follows.
 *
 * @param version the format of this file
 * @param logId the log's id (also in every segment header)
 * @param lastEntryId the highest entry id the log had written when this was saved
 * @param flushedThroughId every record with an id up to this one is in the database
 * @param segments one mark per segment on disk, in log order
 */
record Checkpoint(int version, long logId, long lastEntryId, long flushedThroughId, List<Mark> segments) {

    static final int VERSION = 1;

    public Checkpoint {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    /**
     * How far one segment has been flushed.
     *
     * @param segment the file name
     * @param flushedOffset the offset just past the last record flushed from it
     * @param flushedThroughId the last entry id flushed from it, or -1 when none
     * @param complete every record of the segment is in the database and a newer segment exists
     * @param completedAtMillis when it became complete (its retention counts from then), or null
     */
    record Mark(String segment, long flushedOffset, long flushedThroughId, boolean complete,
                       Long completedAtMillis) {
    }

    /** The mark of {@code segment}, if this checkpoint has one. */
    Mark mark(String segment) {
        for (Mark m : segments) {
            if (m.segment().equals(segment)) {
                return m;
            }
        }
        return null;
    }
}
