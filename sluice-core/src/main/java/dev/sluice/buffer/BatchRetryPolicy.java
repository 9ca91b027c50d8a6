package dev.sluice.buffer;

import java.time.Duration;

/**
 * When a batch whose processing failed is tried again. The wait doubles from {@code minInterval}
 * up to {@code maxInterval}. After {@code maxAttempts} failed attempts the batch is marked
 * {@code FAILED} and stays stored with its priority: with a {@code coolDown}, it is taken again
 * once that has passed, for a fresh round of attempts; without one (zero, the default) it is
 * parked until {@link BufferedQueue#retryFailed()} or deleted by hand. Nothing is ever dropped.
 *
 * <p>The default: 1 s, 2 s, 4 s … up to 1 h, 10 attempts, no cool-down. Immutable.
 *
 * @param minInterval the wait after the first failure
 * @param maxInterval the longest wait
 * @param maxAttempts attempts per round, at least 1; {@link #UNLIMITED} never parks
 * @param coolDown the pause before a failed batch gets a fresh round; zero parks it instead
 */
public record BatchRetryPolicy(Duration minInterval, Duration maxInterval, int maxAttempts, Duration coolDown) {

    /** As many attempts as it takes. */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    public BatchRetryPolicy {
        if (minInterval == null || minInterval.isNegative()) {
            throw new IllegalArgumentException("retry minInterval must be zero or positive, got " + minInterval);
        }
        if (maxInterval == null || maxInterval.compareTo(minInterval) < 0) {
            throw new IllegalArgumentException("retry maxInterval must be at least minInterval (" + minInterval
                    + "), got " + maxInterval);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("retry maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (coolDown == null || coolDown.isNegative()) {
            throw new IllegalArgumentException("retry coolDown must be zero or positive, got " + coolDown);
        }
    }

    /** 1 s doubling up to 1 h, 10 attempts, then parked. */
    public static BatchRetryPolicy defaults() {
        return exponential(Duration.ofSeconds(1), Duration.ofHours(1));
    }

    /** Doubling waits from {@code minInterval} to {@code maxInterval}, 10 attempts, then parked. */
    public static BatchRetryPolicy exponential(Duration minInterval, Duration maxInterval) {
        return new BatchRetryPolicy(minInterval, maxInterval, 10, Duration.ZERO);
    }

    /** The same policy with {@code n} attempts per round. */
    public BatchRetryPolicy maxAttempts(int n) {
        return new BatchRetryPolicy(minInterval, maxInterval, n, coolDown);
    }

    /** The same policy, never giving up. */
    public BatchRetryPolicy unlimitedAttempts() {
        return maxAttempts(UNLIMITED);
    }

    /** The same policy, retrying a failed batch with a fresh round after {@code pause}. */
    public BatchRetryPolicy coolDown(Duration pause) {
        return new BatchRetryPolicy(minInterval, maxInterval, maxAttempts, pause);
    }

    /** True when a batch that has failed {@code failedAttempts} times in this round is done trying. */
    public boolean exhausted(int failedAttempts) {
        return failedAttempts >= maxAttempts;
    }

    /** The wait after the {@code failedAttempts}-th failure (1 for the first). */
    public Duration delayAfter(int failedAttempts) {
        int shift = Math.min(Math.max(failedAttempts - 1, 0), 40);
        double millis = Math.min((double) minInterval.toMillis() * (1L << shift), maxInterval.toMillis());
        return Duration.ofMillis(Math.round(millis));
    }

    /** How long a batch that just ran out of attempts waits, or null when it is parked. */
    Duration delayWhenExhausted() {
        return coolDown.isZero() ? null : coolDown;
    }
}
