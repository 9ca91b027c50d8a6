package dev.sluice.job;

import java.time.Duration;

/**
 * What enqueuing a job with a key does to the jobs of that key that have not started. Jobs of the
 * key that are running are never touched, and when they finish they mark only themselves.
 */
public sealed interface KeyPolicy {

    /** The new job supersedes every waiting job of its key: only the newest runs. The default. */
    record Replace() implements KeyPolicy {
    }

    /** If a job of the key is waiting, the new one is dropped and the waiting one stands. */
    record KeepExisting() implements KeyPolicy {
    }

    /**
     * Like {@link Replace}, and the new job runs only after {@code window}: a burst of enqueues of
     * one key becomes one run, {@code window} after the last of them.
     */
    record Debounce(Duration window) implements KeyPolicy {
        public Debounce {
            if (window == null || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("debounce window must be positive, got " + window);
            }
        }
    }

    static KeyPolicy replace() {
        return new Replace();
    }

    static KeyPolicy keepExisting() {
        return new KeepExisting();
    }

    static KeyPolicy debounce(Duration window) {
        return new Debounce(window);
    }
}
