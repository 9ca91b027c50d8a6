package dev.sluice.job;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed job waits before its next attempt. Chosen per kind; the default is
 * {@link #exponential()}.
 */
public sealed interface RetryPolicy {

    /**
     * The wait before the attempt after {@code failedAttempt}.
     *
     * @param failedAttempt the attempt that just failed, 1 for the first
     */
    Duration delayAfter(int failedAttempt);

    /** False when a failed job must be discarded at once, whatever attempts are left. */
    default boolean retries() {
        return true;
    }

    /** Exponential back-off: 1 s, 2 s, 4 s … capped at one hour, with ±20 % jitter. */
    static RetryPolicy exponential() {
        return new Exponential(Duration.ofSeconds(1), Duration.ofHours(1), 0.2);
    }

    /** Exponential back-off starting at {@code base}, capped at {@code max}, with ±{@code jitter} spread. */
    static RetryPolicy exponential(Duration base, Duration max, double jitter) {
        return new Exponential(base, max, jitter);
    }

    /** The same wait after every failure. */
    static RetryPolicy fixed(Duration delay) {
        return new Fixed(delay);
    }

    /** No retries: the first failure discards the job. */
    static RetryPolicy none() {
        return new None();
    }

    /**
     * Doubling waits with jitter, so that jobs that failed together do not retry together.
     *
     * @param base the first wait
     * @param max the longest wait
     * @param jitter the spread as a fraction of the wait, in [0, 1]
     */
    record Exponential(Duration base, Duration max, double jitter) implements RetryPolicy {
        public Exponential {
            if (base == null || base.isNegative()) {
                throw new IllegalArgumentException("retry base must be zero or positive, got " + base);
            }
            if (max == null || max.compareTo(base) < 0) {
                throw new IllegalArgumentException("retry max must be at least base (" + base + "), got " + max);
            }
            if (!(jitter >= 0 && jitter <= 1)) {
                throw new IllegalArgumentException("retry jitter must be in [0, 1], got " + jitter);
            }
        }

        @Override
        public Duration delayAfter(int failedAttempt) {
            int shift = Math.min(Math.max(failedAttempt - 1, 0), 40);
            double millis = Math.min((double) base.toMillis() * (1L << shift), max.toMillis());
            double spread = millis * jitter;
            double jittered = millis + (spread == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-spread, spread));
            return Duration.ofMillis(Math.max(0, Math.round(jittered)));
        }
    }

    /** The same wait after every failure. */
    record Fixed(Duration delay) implements RetryPolicy {
        public Fixed {
            if (delay == null || delay.isNegative()) {
                throw new IllegalArgumentException("retry delay must be zero or positive, got " + delay);
            }
        }

        @Override
        public Duration delayAfter(int failedAttempt) {
            return delay;
        }
    }

    /** No retries. */
    record None() implements RetryPolicy {
        @Override
        public Duration delayAfter(int failedAttempt) {
            return Duration.ZERO;
        }

        @Override
        public boolean retries() {
            return false;
        }
    }
}
