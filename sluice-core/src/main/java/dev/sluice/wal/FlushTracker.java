package dev.sluice.wal;

import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The flush watermark. Workers finish batches in any order; the watermark moves only through an
 * unbroken run of finished batches, so everything at or below it is in the database. Appenders
 * held back by the backlog bound and callers of awaitFlushed wait here. Thread-safe.
 */
final class FlushTracker {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private final TreeMap<Long, FlushBatch> finished = new TreeMap<>();
    private long nextSeq;
    private volatile long flushedThroughId;
    private volatile Segment segment;
    private volatile long segmentOffset;
    private final long lastRecordId;
    private final long reservedThroughId;

    /**
     * @param flushedThroughId the watermark the checkpoint saved
     * @param lastRecordId the highest id of a record found on disk at open
     * @param reservedThroughId the highest id handed out before open: ids above
     *                          {@code lastRecordId} up to it hold no record (moved aside as
     *                          damaged, or counted by a checkpoint whose segments are gone) and are
     *                          never handed out again, so the watermark passes them as soon as it
     *                          reaches {@code lastRecordId}: without that, waiting for everything
     *                          appended to be flushed would never end
     */
    FlushTracker(long flushedThroughId, long lastRecordId, long reservedThroughId) {
        this.lastRecordId = lastRecordId;
        this.reservedThroughId = reservedThroughId;
        this.flushedThroughId = passReserved(flushedThroughId);
    }

    private long passReserved(long through) {
        return through >= lastRecordId && through < reservedThroughId ? reservedThroughId : through;
    }

    long flushedThroughId() {
        return flushedThroughId;
    }

    /** The segment holding the last flushed record, or null before any flush in this run. */
    Segment segment() {
        return segment;
    }

    long segmentOffset() {
        return segmentOffset;
    }

    /** Records that a batch is in the database. */
    void finished(FlushBatch batch) {
        lock.lock();
        try {
            finished.put(batch.seq(), batch);
            boolean moved = false;
            FlushBatch next;
            while ((next = finished.remove(nextSeq)) != null) {
                nextSeq++;
                if (next.lastId() > flushedThroughId) {
                    segment = next.segment();
                    segmentOffset = next.endOffset();
                    flushedThroughId = passReserved(next.lastId());
                }
                moved = true;
            }
            if (moved) {
                advanced.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the watermark reaches {@code id}; false when {@code nanos} pass first. */
    boolean awaitFlushed(long id, long nanos) throws InterruptedException {
        if (flushedThroughId >= id) {
            return true;
        }
        lock.lock();
        try {
            long left = nanos;
            while (flushedThroughId < id) {
                if (left <= 0) {
                    return false;
                }
                left = advanced.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until {@code condition} holds, re-checking whenever the watermark moves; false on timeout. */
    boolean awaitUntil(java.util.function.BooleanSupplier condition, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                advanced.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiters so they re-check (the log closed or failed). */
    void wakeAll() {
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
