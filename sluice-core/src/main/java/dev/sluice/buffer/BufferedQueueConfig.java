package dev.sluice.buffer;

import java.time.Duration;

/**
 * The settings of one {@link BufferedQueue}, fixed once built. Made by {@link
 * BufferedQueue.Builder}; every value is checked here and a bad one is named in the exception.
 * The defaults are those of {@link #defaults()}. Immutable.
 *
 * @param name the queue's name: its batches in a shared store, its meters' {@code queue} tag,
 *        its threads' names (1–100 characters)
 * @param flushBytes flush when the pushed items reach about this many encoded bytes; 0 never
 * @param flushPushes flush after this many pushes; 0 never
 * @param flushItems flush when the memory buffer holds this many items (after merging); 0 never
 * @param flushTimeout flush when the oldest unflushed push is this old; zero never
 * @param workers worker threads taking stored batches; 0 makes a producer-only queue
 * @param batchesPerTake the most stored batches a worker takes, merges and processes at once
 * @param priority the priority of the batches this queue stores (higher are taken first)
 * @param retryPolicy when failed batches are tried again, and when they are parked
 * @param pollInterval the longest pause of an idle worker between looks at the store
 * @param leaseDuration how long a taken batch stays a worker's without renewal (renewed every third)
 * @param shutdownGrace how long {@code close()} lets running processes finish before interrupting them
 * @param metricsInterval how often the stored batches and items gauges are refreshed
 * @param maxPendingFlushes flushed batches waiting to be stored before pushes wait (back-pressure)
 */
public record BufferedQueueConfig(
        String name,
        long flushBytes,
        int flushPushes,
        int flushItems,
        Duration flushTimeout,
        int workers,
        int batchesPerTake,
        int priority,
        BatchRetryPolicy retryPolicy,
        Duration pollInterval,
        Duration leaseDuration,
        Duration shutdownGrace,
        Duration metricsInterval,
        int maxPendingFlushes) {

    public BufferedQueueConfig {
        name(name);
        atLeast("flushBytes", flushBytes, 0);
        atLeast("flushPushes", flushPushes, 0);
        atLeast("flushItems", flushItems, 0);
        zeroOrPositive("flushTimeout", flushTimeout);
        atLeast("workers", workers, 0);
        atLeast("batchesPerTake", batchesPerTake, 1);
        if (retryPolicy == null) {
            throw new IllegalArgumentException("retryPolicy must not be null");
        }
        positive("pollInterval", pollInterval);
        positive("leaseDuration", leaseDuration);
        if (leaseDuration.toMillis() < 30) {
            throw new IllegalArgumentException("leaseDuration must be at least 30 ms, got " + leaseDuration);
        }
        zeroOrPositive("shutdownGrace", shutdownGrace);
        positive("metricsInterval", metricsInterval);
        atLeast("maxPendingFlushes", maxPendingFlushes, 1);
    }

    /** The defaults, under the name {@code default}. */
    public static BufferedQueueConfig defaults() {
        return new BufferedQueueConfig("default", 1 << 20, 1000, 0, Duration.ofSeconds(1), 1, 1, 0,
                BatchRetryPolicy.defaults(), Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Duration.ofSeconds(10), 4);
    }

    static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (name.length() > 100) {
            throw new IllegalArgumentException("name must be at most 100 characters, got " + name.length());
        }
        return name;
    }

    static long atLeast(String what, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static Duration positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
        return value;
    }

    static Duration zeroOrPositive(String what, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(what + " must be zero or positive, got " + value);
        }
        return value;
    }
}
