package dev.sluice.job;

import java.time.Duration;

/**
 * Per-kind settings given when a handler is registered. Immutable.
 *
 * @param timeout how long one attempt may run before it is interrupted and counted as a retry
 * @param retryPolicy the wait between attempts
 * @param maxAttempts the default number of attempts for jobs of this kind that name none
 */
public record KindOptions(Duration timeout, RetryPolicy retryPolicy, int maxAttempts) {

    public KindOptions {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (retryPolicy == null) {
            throw new IllegalArgumentException("retryPolicy must not be null");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** Ten minutes per attempt, exponential back-off, 25 attempts. */
    public static KindOptions defaults() {
        return new KindOptions(Duration.ofMinutes(10), RetryPolicy.exponential(), 25);
    }

    public KindOptions timeout(Duration timeout) {
        return new KindOptions(timeout, retryPolicy, maxAttempts);
    }

    public KindOptions retryPolicy(RetryPolicy retryPolicy) {
        return new KindOptions(timeout, retryPolicy, maxAttempts);
    }

    public KindOptions maxAttempts(int maxAttempts) {
        return new KindOptions(timeout, retryPolicy, maxAttempts);
    }
}
