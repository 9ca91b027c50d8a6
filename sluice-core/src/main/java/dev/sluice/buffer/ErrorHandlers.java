package dev.sluice.buffer;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a queue reports what goes wrong: internal errors (store, codec, leases) and processing
 * errors. Without a handler of the caller's, each is logged; a handler that throws is logged
 * and otherwise ignored, so that it can never stop a loop. Thread-safe.
 */
final class ErrorHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(BufferedQueue.class);

    private final String queue;
    private final Consumer<? super Throwable> internal;
    private final Consumer<? super ProcessFailure> process;

    ErrorHandlers(String queue, Consumer<? super Throwable> internal, Consumer<? super ProcessFailure> process) {
        this.queue = queue;
        this.internal = internal;
        this.process = process;
    }

    void internal(String what, Throwable error) {
        if (internal == null) {
            LOG.warn("buffered queue {}: {}: {}", queue, what, error.toString());
            return;
        }
        try {
            internal.accept(error);
        } catch (RuntimeException e) {
            LOG.warn("buffered queue {}: internal error handler threw {} on {}", queue, e, error.toString());
        }
    }

    void process(ProcessFailure failure) {
        if (process == null) {
            LOG.warn("buffered queue {}: processing batches {} failed (attempt {}{}): {}", queue, failure.batchIds(),
                    failure.attempt(), failure.parked() ? ", no attempts left: parked" : "", failure.error().toString());
            return;
        }
        try {
            process.accept(failure);
        } catch (RuntimeException e) {
            LOG.warn("buffered queue {}: process error handler threw {}", queue, e.toString());
        }
    }
}
