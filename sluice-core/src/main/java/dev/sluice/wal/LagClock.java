package dev.sluice.wal;

import java.util.ArrayDeque;

/**
 * Remembers roughly when records were written, so that the flush lag can be told in seconds:
 * one mark (last id, time) per tenth of a second at most, dropped once flushed. Thread-safe.
 */
final class LagClock {
    private static final long GRAIN_NANOS = 100_000_000L;
    private final ArrayDeque<long[]> marks = new ArrayDeque<>();

    synchronized void written(long lastId, long nanos) {
        long[] last = marks.peekLast();
        if (last != null && nanos - last[1] < GRAIN_NANOS) {
            last[0] = lastId;
            return;
        }
        marks.addLast(new long[] {lastId, nanos});
    }

    /** Seconds the oldest record above {@code flushedThroughId} has waited. */
    synchronized double lagSeconds(long flushedThroughId, long nowNanos) {
        while (!marks.isEmpty() && marks.peekFirst()[0] <= flushedThroughId) {
            marks.pollFirst();
        }
        long[] first = marks.peekFirst();
        return first == null ? 0 : Math.max(0, (nowNanos - first[1]) / 1e9);
    }
}
