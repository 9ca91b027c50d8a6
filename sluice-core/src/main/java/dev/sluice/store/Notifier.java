package dev.sluice.store;

import java.util.function.Consumer;

/**
 * Wakes idle fetchers when jobs are enqueued by any node (PostgreSQL LISTEN/NOTIFY). Stores
 * without such a channel return {@link #NONE}; fetchers then rely on polling and on local
 * wake-ups. Thread-safe.
 */
public interface Notifier extends AutoCloseable {

    /** A notifier that never calls. */
    Notifier NONE = new Notifier() {
        @Override
        public void start(Consumer<String> onQueue, Consumer<Long> onCancel) {
        }

        @Override
        public void close() {
        }
    };

    /** Starts listening; {@code onQueue} gets the queue of enqueued jobs, {@code onCancel} job ids. */
    void start(Consumer<String> onQueue, Consumer<Long> onCancel);

    @Override
    void close();
}
