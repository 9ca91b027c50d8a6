package dev.sluice.wal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of a write-ahead log. Immutable: every setter returns a checked copy, and a bad
 * value is rejected with a message that names it.
 *
 * <pre>{@code
 * WalConfig.defaults(Path.of("sluice-wal")).mode(WalMode.RELAXED).flushInterval(Duration.ofSeconds(1))
 * }</pre>
 *
 * @param directory the folder of the segment files, the checkpoint and {@code corrupt/}
 * @param mode when an append returns; default {@link WalMode#DURABLE}
 * @param maxBufferSize records held in the in-process buffer before they are written out; default 1000
 * @param flushInterval relaxed mode: how often written records are fsynced; also the pause between
 *                      probes of a database that keeps failing; default 5 s
 * @param maxFlushRetries retries with back-off of a failed batch before it is reported as failing
 *                        (it stays on disk and is retried every flush interval); default 3
 * @param maxSegmentSize records per segment file before a new one is started; default 5000
 * @param segmentRetention how long a segment whose records all reached the database is kept; default 24 h
 * @param workerCount threads writing batches to the database; default 2
 * @param batchSize the most rows the flush writes with one database statement; a flush transaction
 *                  takes up to maxBufferSize records, in several statements (on PostgreSQL the
 *                  transaction's activity logs go by COPY, up to 500 rows each); default 100
 * @param enableRecovery on open, replay the records the database has not seen and wait for it
 *                       (at most recoveryTimeout); when false they are replayed in the background; default true
 * @param recoveryTimeout the longest open waits for the replay; default 30 s
 * @param enableMetrics register meters in the Micrometer registry; default true
 * @param metricsInterval how often the log's state is sampled and, while flushing fails, reported; default 10 s
 * @param maxBacklog the most records on disk not yet in the database; an append beyond it waits; default 1,000,000
 * @param backpressureTimeout how long such an append waits before it fails; default 10 s
 */
public record WalConfig(
        Path directory,
        WalMode mode,
        int maxBufferSize,
        Duration flushInterval,
        int maxFlushRetries,
        int maxSegmentSize,
        Duration segmentRetention,
        int workerCount,
        int batchSize,
        boolean enableRecovery,
        Duration recoveryTimeout,
        boolean enableMetrics,
        Duration metricsInterval,
        long maxBacklog,
        Duration backpressureTimeout) {

    public WalConfig {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        atLeast("maxBufferSize", maxBufferSize, 1);
        positive("flushInterval", flushInterval);
        atLeast("maxFlushRetries", maxFlushRetries, 0);
        atLeast("maxSegmentSize", maxSegmentSize, 1);
        positive("segmentRetention", segmentRetention);
        atLeast("workerCount", workerCount, 1);
        atLeast("batchSize", batchSize, 1);
        positive("recoveryTimeout", recoveryTimeout);
        positive("metricsInterval", metricsInterval);
        if (maxBacklog < maxBufferSize) {
            throw new IllegalArgumentException("maxBacklog must be at least maxBufferSize (" + maxBufferSize
                    + "), got " + maxBacklog);
        }
        if (backpressureTimeout == null || backpressureTimeout.isNegative()) {
            throw new IllegalArgumentException("backpressureTimeout must be zero or positive, got " + backpressureTimeout);
        }
    }

    /** The defaults, logging into {@code directory}. */
    public static WalConfig defaults(Path directory) {
        return new WalConfig(directory, WalMode.DURABLE, 1000, Duration.ofSeconds(5), 3, 5000, Duration.ofHours(24),
                2, 100, true, Duration.ofSeconds(30), true, Duration.ofSeconds(10), 1_000_000, Duration.ofSeconds(10));
    }

    public WalConfig directory(Path directory) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig mode(WalMode mode) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig maxBufferSize(int maxBufferSize) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, Math.max(maxBacklog, maxBufferSize), backpressureTimeout);
    }

    public WalConfig flushInterval(Duration flushInterval) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig maxFlushRetries(int maxFlushRetries) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig maxSegmentSize(int maxSegmentSize) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig segmentRetention(Duration segmentRetention) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig workerCount(int workerCount) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig batchSize(int batchSize) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig enableRecovery(boolean enableRecovery) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig recoveryTimeout(Duration recoveryTimeout) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig enableMetrics(boolean enableMetrics) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    public WalConfig metricsInterval(Duration metricsInterval) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    /** Bounds the backlog: at most {@code maxBacklog} records on disk not yet in the database. */
    public WalConfig backlog(long maxBacklog, Duration backpressureTimeout) {
        return new WalConfig(directory, mode, maxBufferSize, flushInterval, maxFlushRetries, maxSegmentSize,
                segmentRetention, workerCount, batchSize, enableRecovery, recoveryTimeout, enableMetrics,
                metricsInterval, maxBacklog, backpressureTimeout);
    }

    private static void atLeast(String what, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ", got " + value);
        }
    }

    private static void positive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
