package dev.sluice.wal;

import java.util.ArrayList;
import java.util.List;

/**
 * The segments of the running log, oldest first. The writer adds one when it rolls, the janitor
 * removes flushed ones past their retention, the flusher walks them. Thread-safe.
 */
final class SegmentCatalog {
    private final List<Segment> segments = new ArrayList<>();

    synchronized void add(Segment s) {
        segments.add(s);
    }

    synchronized void remove(Segment s) {
        segments.remove(s);
    }

    synchronized List<Segment> list() {
        return List.copyOf(segments);
    }

    synchronized int count() {
        return segments.size();
    }

    /** The segment after {@code s}, or null when {@code s} is the newest. */
    synchronized Segment after(Segment s) {
        int i = segments.indexOf(s);
        return i >= 0 && i + 1 < segments.size() ? segments.get(i + 1) : null;
    }

    synchronized Segment newest() {
        return segments.isEmpty() ? null : segments.getLast();
    }
}
