package dev.sluice.buffer;

import dev.sluice.buffer.store.BatchStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loop that stores cut batches, one encoded batch per row, in cut order, on its own thread.
 * A store that fails is retried with a growing pause (the pushers feel it as back-pressure);
 * once the queue is sealed, a batch gets a few more tries and is then given up on, counted in
 * {@link #lostItems()} so that {@code close()} can say so. Thread-safe.
 */
final class Flusher<T> implements Runnable {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private static final int TRIES_WHEN_SEALED = 3;

    private final BufferedQueueConfig config;
    private final PushBuffer<T> buffer;
    private final Codec<T> codec;
    private final BatchStore store;
    private final BufferMetrics metrics;
    private final ErrorHandlers errors;
    private final Wakeup stored;
    private final AtomicLong lost = new AtomicLong();

    Flusher(BufferedQueueConfig config, PushBuffer<T> buffer, Codec<T> codec, BatchStore store,
            BufferMetrics metrics, ErrorHandlers errors, Wakeup stored) {
        this.config = config;
        this.buffer = buffer;
        this.codec = codec;
        this.store = store;
        this.metrics = metrics;
        this.errors = errors;
        this.stored = stored;
    }

    /** Items of batches that could not be stored (encoding failed, or the store failed at close). */
    long lostItems() {
        return lost.get();
    }

    @Override
    public void run() {
        try {
            PushBuffer.Cut<T> cut;
            while ((cut = buffer.next()) != null) {
                store(cut);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void store(PushBuffer.Cut<T> cut) throws InterruptedException {
        try {
            if (cut.items().isEmpty()) {
                cut.stored().complete(null);
                return;
            }
            byte[] payload;
            try {
                payload = codec.encode(cut.items());
            } catch (Exception | LinkageError e) {
                giveUp(cut, new IllegalArgumentException("cannot encode a batch of " + cut.items().size()
                        + " item(s) with the " + codec + ": " + e, e));
                return;
            }
            Duration pause = FIRST_PAUSE;
            for (int tries = 1; ; tries++) {
                try {
                    store.batchInsert(config.name(), config.priority(), payload, cut.items().size());
                    metrics.flushed(cut.items().size());
                    stored.signal();
                    cut.stored().complete(null);
                    return;
                } catch (RuntimeException e) {
                    if (buffer.isSealed() && tries >= TRIES_WHEN_SEALED) {
                        giveUp(cut, e);
                        return;
                    }
                    errors.internal("store of a batch of " + cut.items().size() + " item(s) failed (try " + tries
                            + "), retrying in " + pause.toMillis() + " ms", e);
                    Thread.sleep(pause.toMillis());
                    pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                }
            }
        } finally {
            buffer.done(cut);
        }
    }

    private void giveUp(PushBuffer.Cut<T> cut, Exception e) {
        lost.addAndGet(cut.items().size());
        BufferedQueueException failure = new BufferedQueueException(cut.items().size()
                + " item(s) could not be stored and are lost: " + e.getMessage(), e);
        errors.internal("lost " + cut.items().size() + " item(s) of queue " + config.name(), failure);
        cut.stored().completeExceptionally(failure);
    }
}
