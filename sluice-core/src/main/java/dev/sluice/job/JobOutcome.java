package dev.sluice.job;

import java.time.Duration;

/**
 * What a handler returns. An exception thrown by a handler counts as {@link RetryLater} with
 * the exception's message.
 */
public sealed interface JobOutcome {

    /** The job succeeded; {@code result} (any Jackson-writable value, or null) is stored with it. */
    record Success(Object result) implements JobOutcome {
    }

    /**
     * Try again later. With {@code delay} null the kind's retry policy chooses the delay. When no
     * attempts are left the job is discarded with {@code message} in its error history.
     */
    record RetryLater(Duration delay, String message) implements JobOutcome {
    }

    /** Permanent failure: the job is discarded now, whatever attempts are left. */
    record Fail(String message) implements JobOutcome {
    }

    static JobOutcome success() {
        return new Success(null);
    }

    static JobOutcome success(Object result) {
        return new Success(result);
    }

    static JobOutcome retryLater(String message) {
        return new RetryLater(null, message);
    }

    static JobOutcome retryLater(Duration delay, String message) {
        return new RetryLater(delay, message);
    }

    static JobOutcome fail(String message) {
        return new Fail(message);
    }
}
