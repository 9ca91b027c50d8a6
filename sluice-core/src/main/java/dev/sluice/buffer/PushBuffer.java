package dev.sluice.buffer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The memory side of a queue: the buffer that pushes go into, the triggers that cut it into a
 * batch, and the cut batches waiting for the {@link Flusher}, in cut order. One lock guards it
 * all, so a batch is cut and queued in the same step and batches reach the store in the order
 * they were cut. Pushers wait (back-pressure) while more than {@code maxPendingFlushes} cut
 * batches are not stored yet; the wait is on a condition, so it never holds the lock the
 * flusher needs. Once sealed, pushes fail and the flusher ends after the last batch. Thread-safe.
 */
final class PushBuffer<T> {

    /** A cut batch; {@code stored} completes when it is in the store (or could not be stored). */
    record Cut<T>(List<T> items, int pushes, CompletableFuture<Void> stored) {
    }

    private final String queue;
    private final ItemBuffer<T> buffer;
    private final long flushBytes;
    private final int flushPushes;
    private final int flushItems;
    private final long flushTimeoutNanos;
    private final int maxPending;

    private final ReentrantLock lock = new ReentrantLock();
    /** The flusher waits on it for a cut batch, a first push (to time it) or the seal. */
    private final Condition changed = lock.newCondition();
    /** Pushers wait on it while too many cut batches are not stored yet. */
    private final Condition hasRoom = lock.newCondition();
    private final ArrayDeque<Cut<T>> cuts = new ArrayDeque<>();
    private int pushes;
    private long bytes;
    private long firstPushNanos;
    private int unstored;
    private boolean sealed;
    private CompletableFuture<Void> lastCut = CompletableFuture.completedFuture(null);

    PushBuffer(BufferedQueueConfig config, ItemBuffer<T> buffer) {
        this.queue = config.name();
        this.buffer = buffer;
        this.flushBytes = config.flushBytes();
        this.flushPushes = config.flushPushes();
        this.flushItems = config.flushItems();
        this.flushTimeoutNanos = config.flushTimeout().toNanos();
        this.maxPending = config.maxPendingFlushes();
    }

    /**
     * Adds one item of about {@code size} encoded bytes, cutting a batch when a trigger is
     * reached, then waits while the store is behind. The item is accepted once this returns or
     * is interrupted while waiting (the interrupt is kept).
     */
    void push(T item, long size) {
        lock.lock();
        try {
            if (sealed) {
                throw new QueueClosedException(queue);
            }
            if (pushes == 0) {
                firstPushNanos = System.nanoTime();
                changed.signalAll();
            }
            buffer.push(item);
            pushes++;
            bytes += size;
            if ((flushBytes > 0 && bytes >= flushBytes) || (flushPushes > 0 && pushes >= flushPushes)
                    || (flushItems > 0 && buffer.size() >= flushItems)) {
                cut();
            }
            while (!sealed && unstored > maxPending) {
                hasRoom.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Cuts what is buffered; returns a future that completes once everything cut so far is stored. */
    CompletableFuture<Void> flush() {
        lock.lock();
        try {
            if (sealed) {
                throw new QueueClosedException(queue);
            }
            cut();
            return lastCut;
        } finally {
            lock.unlock();
        }
    }

    /** Cuts what is buffered and refuses further pushes; the flusher ends after the last batch. */
    CompletableFuture<Void> seal() {
        lock.lock();
        try {
            cut();
            sealed = true;
            changed.signalAll();
            hasRoom.signalAll();
            return lastCut;
        } finally {
            lock.unlock();
        }
    }

    boolean isSealed() {
        lock.lock();
        try {
            return sealed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next cut batch for the flusher, cutting the buffer itself when its oldest push reached
     * the flush timeout; waits for one. Null once sealed and nothing is left.
     */
    Cut<T> next() throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                Cut<T> head = cuts.poll();
                if (head != null) {
                    return head;
                }
                if (sealed) {
                    return null;
                }
                if (pushes > 0 && flushTimeoutNanos > 0) {
                    long left = flushTimeoutNanos - (System.nanoTime() - firstPushNanos);
                    if (left <= 0) {
                        cut();
                    } else {
                        changed.awaitNanos(left);
                    }
                } else {
                    // woken by a first push (to start timing it), a cut, or the seal
                    changed.await(1, TimeUnit.SECONDS);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The flusher is done with {@code cut}: stored, or given up on. */
    void done(Cut<T> cut) {
        lock.lock();
        try {
            unstored--;
            hasRoom.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void cut() {
        if (pushes == 0) {
            return;
        }
        List<T> items = buffer.drain();
        Cut<T> cut = new Cut<>(items, pushes, new CompletableFuture<>());
        pushes = 0;
        bytes = 0;
        cuts.add(cut);
        unstored++;
        lastCut = cut.stored();
        changed.signalAll();
    }
}
