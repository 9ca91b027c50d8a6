package dev.sluice.bench.system;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every handler calls: counts jobs run and, while recording, keeps each job's
 * enqueue-to-start latency. Thread-safe; one per measured system.
 */
public final class Probe {
    private final AtomicLong runs = new AtomicLong();
    private final Object lock = new Object();
    private long[] latencies = new long[1024];
    private int size;
    private volatile boolean recording;

    /** Called by a handler as it starts: {@code enqueuedNanos} comes from the job's payload. */
    public void jobStarted(long enqueuedNanos) {
        long latency = System.nanoTime() - enqueuedNanos;
        if (recording) {
            synchronized (lock) {
                if (size == latencies.length) {
                    latencies = Arrays.copyOf(latencies, size * 2);
                }
                latencies[size++] = latency;
            }
        }
        runs.incrementAndGet();
    }

    /** Jobs whose handler ran so far (a job run twice counts twice). */
    public long runs() {
        return runs.get();
    }

    /** Starts or stops keeping latencies. */
    public void recordLatencies(boolean on) {
        recording = on;
    }

    /** The latencies kept so far, in nanoseconds, sorted. */
    public long[] sortedLatencies() {
        long[] copy;
        synchronized (lock) {
            copy = Arrays.copyOf(latencies, size);
        }
        Arrays.sort(copy);
        return copy;
    }
}
