package dev.sluice.wal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the checkpoint and the retention of flushed segments. A segment is complete when it is
 * sealed and every record in it is at or below the flush watermark; it is deleted once it has
 * been complete for the retention period. The active segment is never deleted, so the newest
 * entry id always stays on disk. Called from the flush dispatcher's thread only.
 */
final class SegmentJanitor {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentJanitor.class);

    private final Path dir;
    private final long logId;
    private final long retentionMillis;
    private final SegmentCatalog catalog;
    private final Clock clock;
    private final Map<String, Long> completedAt = new HashMap<>();
    private long savedThroughId = Long.MIN_VALUE;

    SegmentJanitor(Path dir, long logId, long retentionMillis, SegmentCatalog catalog, Clock clock, Checkpoint initial) {
        this.dir = dir;
        this.logId = logId;
        this.retentionMillis = retentionMillis;
        this.catalog = catalog;
        this.clock = clock;
        if (initial != null) {
            for (Checkpoint.Mark m : initial.segments()) {
                if (m.complete() && m.completedAtMillis() != null) {
                    completedAt.put(m.segment(), m.completedAtMillis());
                }
            }
        }
    }

    /**
     * Saves the checkpoint when the watermark moved (or {@code force}); returns true when it wrote
     * one, after which the sink may forget entries up to the saved watermark.
     */
    boolean checkpoint(FlushTracker tracker, long lastEntryId, boolean force) throws IOException {
        long through = tracker.flushedThroughId();
        if (through == savedThroughId && !force) {
            return false;
        }
        List<Checkpoint.Mark> marks = new ArrayList<>();
        long now = clock.millis();
        Segment watermarkSegment = tracker.segment();
        for (Segment s : catalog.list()) {
            boolean complete = s.sealed() && s.lastId() <= through;
            if (complete) {
                completedAt.putIfAbsent(s.name(), now);
                marks.add(new Checkpoint.Mark(s.name(), s.size(), s.lastId(), true, completedAt.get(s.name())));
            } else if (s == watermarkSegment) {
                marks.add(new Checkpoint.Mark(s.name(), tracker.segmentOffset(), through, false, null));
            } else if (s.firstId() <= through && s.lastId() <= through) {
                marks.add(new Checkpoint.Mark(s.name(), s.size(), s.lastId(), false, null));
            } else {
                marks.add(new Checkpoint.Mark(s.name(), SegmentFormat.HEADER_SIZE, -1, false, null));
            }
        }
        CheckpointFile.write(dir, new Checkpoint(Checkpoint.VERSION, logId, lastEntryId, through, marks));
        savedThroughId = through;
        return true;
    }

    long savedThroughId() {
        return savedThroughId;
    }

    /** Deletes complete segments past their retention (never {@code inUse}); returns how many. */
    int deleteExpired(FlushTracker tracker, Segment inUse) throws IOException {
        long through = tracker.flushedThroughId();
        long now = clock.millis();
        int deleted = 0;
        for (Segment s : catalog.list()) {
            if (!s.sealed() || s.lastId() > through || s == inUse || s.lastId() > savedThroughId) {
                continue;
            }
            Long since = completedAt.get(s.name());
            if (since != null && now - since >= retentionMillis) {
                catalog.remove(s);
                Files.deleteIfExists(s.path());
                completedAt.remove(s.name());
                deleted++;
                LOG.debug("deleted flushed segment {} (kept {} ms)", s.name(), now - since);
            }
        }
        if (deleted > 0) {
            CheckpointFile.syncDirectory(dir);
        }
        return deleted;
    }
}
