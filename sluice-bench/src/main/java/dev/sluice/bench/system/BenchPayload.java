package dev.sluice.bench.system;

import java.io.Serializable;

/**
 * The payload of every benchmark job: when it was enqueued, on this JVM's monotonic clock, so a
 * handler can measure enqueue-to-start latency. Serializable for db-scheduler's default
 * serializer; a record for Jackson.
 *
 * @param enqueuedNanos {@link System#nanoTime()} just before the enqueue call
 */
public record BenchPayload(long enqueuedNanos) implements Serializable {
}
