package dev.sluice.wal;

import java.time.Instant;

/**
 * Whether the log is writing and flushing normally.
 *
 * @param state the summary
 * @param backlog records on disk not yet in the database
 * @param lagSeconds how long the oldest of them has waited, 0 when none waits
 * @param consecutiveFailures failed flush attempts since the last success
 * @param failingSince when the current run of failures began, or null
 * @param lastError the last flush or write error, or null
 */
public record WalHealth(State state, long backlog, double lagSeconds, int consecutiveFailures, Instant failingSince,
                        String lastError) {

    /** The state of the log. */
    public enum State {
        /** Appending and flushing normally. */
        HEALTHY,
        /** A flush failed and is being retried with back-off. */
        RETRYING,
        /**
         * Flushing failed more than maxFlushRetries times in a row: the records stay on disk and
         * flushing is retried every flush interval until the database answers.
         */
        FAILING,
        /** A write or fsync of the log itself failed: appends are refused until a restart. */
        BROKEN,
        /** Closed. */
        CLOSED
    }

    /** True unless the log is broken or its flushing is failing. */
    public boolean isHealthy() {
        return state == State.HEALTHY || state == State.RETRYING;
    }
}
