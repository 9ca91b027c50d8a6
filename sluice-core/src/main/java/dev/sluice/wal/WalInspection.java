package dev.sluice.wal;

import java.nio.file.Path;
import java.util.List;

/**
 * A read-only look at a log directory: what {@code sluice wal inspect} prints. Nothing is
 * repaired or replayed to produce it.
 *
 * @param directory the log directory
 * @param logId the log's id, 0 when no segment or checkpoint says
 * @param inUse true when a running node holds the directory
 * @param flushedThroughId every entry up to this id is in the database, per the checkpoint (0 without one)
 * @param checkpointProblem why the checkpoint could not be read, or null
 * @param segments the segments, oldest first
 * @param corruptFiles the files in {@code corrupt/}
 * @param corruptReport the lines of {@code corrupt/report.txt}
 */
public record WalInspection(Path directory, long logId, boolean inUse, long flushedThroughId, String checkpointProblem,
                            List<SegmentInfo> segments, List<String> corruptFiles, List<String> corruptReport) {
    public WalInspection {
        segments = List.copyOf(segments);
        corruptFiles = List.copyOf(corruptFiles);
        corruptReport = List.copyOf(corruptReport);
    }

    /**
     * One segment.
     *
     * @param scan what reading it found
     * @param flushedOffset how far it was flushed per the checkpoint (the header's end when not at all)
     * @param unflushed valid records with ids above the checkpoint's flushed-through id
     */
    public record SegmentInfo(SegmentScan scan, long flushedOffset, long unflushed) {
    }

    public long records() {
        return segments.stream().mapToLong(s -> s.scan().records()).sum();
    }

    public long unflushed() {
        return segments.stream().mapToLong(SegmentInfo::unflushed).sum();
    }

    public List<WalDamage> damages() {
        return segments.stream().flatMap(s -> s.scan().damages().stream()).toList();
    }
}
