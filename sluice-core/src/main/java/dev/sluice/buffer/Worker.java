package dev.sluice.buffer;

import dev.sluice.buffer.store.BatchReturn;
import dev.sluice.buffer.store.BatchState;
import dev.sluice.buffer.store.BatchStore;
import dev.sluice.buffer.store.StoredBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * One worker loop on its own thread: takes up to {@code batchesPerTake} due batches, decodes
 * them into a fresh {@link ItemBuffer} (so a merging buffer merges across batches), processes
 * the result, then deletes the batches, or returns them for a retry, or parks them. An idle
 * worker sleeps until a local store wakes it, or for a pause that grows to {@code pollInterval}
 * (other processes' batches are found by polling). Thread-safe.
 */
final class Worker<T> implements Runnable {

    /** Calls the processor on the current thread, marking the call as inside processing. */
    @FunctionalInterface
    interface ProcessCall<T> {
        void process(List<T> items) throws Exception;
    }

    private static final long FIRST_IDLE_NANOS = Duration.ofMillis(10).toNanos();
    private static final int MAX_ERROR_CHARS = 4000;

    private final BufferedQueueConfig config;
    private final BatchStore store;
    private final Codec<T> codec;
    private final Supplier<? extends ItemBuffer<T>> buffers;
    private final ProcessCall<T> call;
    private final String owner;
    private final Wakeup wakeup;
    private final BufferMetrics metrics;
    private final ErrorHandlers errors;
    private final BooleanSupplier closing;
    private volatile boolean running = true;

    Worker(BufferedQueueConfig config, BatchStore store, Codec<T> codec, Supplier<? extends ItemBuffer<T>> buffers,
           ProcessCall<T> call, String owner, Wakeup wakeup, BufferMetrics metrics, ErrorHandlers errors,
           BooleanSupplier closing) {
        this.config = config;
        this.store = store;
        this.codec = codec;
        this.buffers = buffers;
        this.call = call;
        this.owner = owner;
        this.wakeup = wakeup;
        this.metrics = metrics;
        this.errors = errors;
        this.closing = closing;
    }

    /** Ends the loop after the batch in hand; the caller wakes it and bounds the wait. */
    void stop() {
        running = false;
    }

    @Override
    public void run() {
        long maxIdle = config.pollInterval().toNanos();
        long idle = Math.min(FIRST_IDLE_NANOS, maxIdle);
        while (running) {
            long generation = wakeup.generation();
            List<StoredBatch> taken;
            try {
                taken = store.batchTake(config.name(), owner, config.batchesPerTake(), config.leaseDuration());
            } catch (RuntimeException e) {
                errors.internal("taking batches failed", e);
                taken = List.of();
            }
            if (taken.isEmpty()) {
                try {
                    // a failed take pauses like an empty one, so a store that is down is not hammered
                    wakeup.await(generation, idle);
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                    Thread.currentThread().interrupt();
                    return;
                }
                idle = Math.min(idle * 2, maxIdle);
                continue;
            }
            idle = Math.min(FIRST_IDLE_NANOS, maxIdle);
            if (!running) {
                returnQuietly(taken.stream().map(BatchReturn::handBack).toList());
                return;
            }
            handle(taken);
        }
    }

    private void handle(List<StoredBatch> taken) {
        ItemBuffer<T> buffer = buffers.get();
        List<StoredBatch> decoded = new ArrayList<>(taken.size());
        List<BatchReturn> undecodable = new ArrayList<>();
        for (StoredBatch batch : taken) {
            try {
                List<T> items = codec.decode(batch.payload());
                items.forEach(buffer::push);
                decoded.add(batch);
            } catch (Exception | LinkageError e) {
                // retrying cannot fix bytes that do not decode: park the batch, kept for inspection
                String message = "cannot decode batch " + batch.id() + " with the " + codec + ": " + e;
                undecodable.add(new BatchReturn(batch.id(), BatchState.FAILED, batch.attempts() + 1, null,
                        truncate(message)));
                errors.internal(message, e);
            }
        }
        returnQuietly(undecodable);
        if (decoded.isEmpty()) {
            return;
        }
        List<T> items = List.copyOf(buffer.drain());
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            call.process(items);
        } catch (Exception | Error e) {
            failure = e;
        } finally {
            metrics.duration(Duration.ofNanos(System.nanoTime() - start));
            // an interrupt meant for the process call must not break the store calls that follow
            Thread.interrupted();
        }
        if (failure == null) {
            succeeded(decoded, items.size());
        } else {
            failed(decoded, failure);
        }
    }

    private void succeeded(List<StoredBatch> batches, int items) {
        metrics.processed(items);
        List<Long> ids = batches.stream().map(StoredBatch::id).toList();
        try {
            int deleted = store.batchDelete(owner, ids);
            if (deleted < ids.size()) {
                errors.internal("processed batches " + ids + " but " + (ids.size() - deleted)
                        + " of them were no longer held (lease expired): they may be processed again",
                        new IllegalStateException("lease lost while processing batches " + ids));
            }
        } catch (RuntimeException e) {
            errors.internal("deleting processed batches " + ids
                    + " failed: they will be processed again when their lease expires", e);
        }
    }

    private void failed(List<StoredBatch> batches, Throwable failure) {
        if (closing.getAsBoolean()) {
            // stopped by close(): hand the batches back without spending an attempt
            returnQuietly(batches.stream().map(BatchReturn::handBack).toList());
            return;
        }
        metrics.processError();
        BatchRetryPolicy policy = config.retryPolicy();
        String message = truncate(failure.toString());
        List<BatchReturn> returns = new ArrayList<>(batches.size());
        int attempt = 0;
        boolean parked = false;
        for (StoredBatch batch : batches) {
            int failedAttempts = batch.attempts() + 1;
            attempt = Math.max(attempt, failedAttempts);
            if (policy.exhausted(failedAttempts)) {
                parked = true;
                returns.add(new BatchReturn(batch.id(), BatchState.FAILED, failedAttempts,
                        policy.delayWhenExhausted(), message));
            } else {
                returns.add(new BatchReturn(batch.id(), BatchState.READY, failedAttempts,
                        policy.delayAfter(failedAttempts), message));
            }
        }
        returnQuietly(returns);
        errors.process(new ProcessFailure(config.name(), failure, batches.stream().map(StoredBatch::id).toList(),
                attempt, parked));
    }

    private void returnQuietly(List<BatchReturn> returns) {
        if (returns.isEmpty()) {
            return;
        }
        try {
            store.batchReturn(owner, returns);
        } catch (RuntimeException e) {
            errors.internal("returning batches " + returns.stream().map(BatchReturn::id).toList()
                    + " failed: they will be taken again when their lease expires", e);
        }
    }

    private static String truncate(String message) {
        return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
