package dev.sluice.wal;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-ahead log: records appended by many threads at memory speed, made durable by group
 * commit, and flushed to a {@link WalSink} in batches, each entry at most once.
 *
 * <pre>{@code
 * try (WriteAheadLog log = WriteAheadLog.open(WalConfig.defaults(dir), sink, registry)) {
 *     long id = log.append(1, bytes);          // durable mode: returns after the fsync covering it
 *     log.awaitFlushed(id, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Opening recovers the directory (see {@link RecoveryReport}): torn tails are cut, corrupt
 * records moved to {@code corrupt/}, and the records the database has not seen are replayed,
 * waiting at most {@code recoveryTimeout} when {@code enableRecovery} is set. A log opened
 * without a sink only appends (for tools and benchmarks); its records are flushed when it is next
 * opened with one.
 *
 * <p>Guarantees: an acknowledged durable append survives a crash of the process or the machine;
 * a relaxed append survives a crash of the process once written to the OS (at most
 * {@code maxBufferSize} records wait in memory) and of the machine once the next fsync ran
 * (at most {@code flushInterval}). No record is removed from disk before it is in the database.
 * Appends beyond {@code maxBacklog} unflushed records wait, then fail with
 * {@link WalBackpressureException}. Thread-safe.
 */
public final class WriteAheadLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WriteAheadLog.class);
    private static final Duration DEFAULT_CLOSE_BOUND = Duration.ofSeconds(10);

    private final WalConfig config;
    private final DirectoryLock lock;
    private final long logId;
    private final SegmentCatalog catalog;
    private final LogWriter writer;
    private final FlushTracker tracker;
    private final Flusher flusher;
    private final WalCounters counters;
    private final LagClock lag;
    private final WalMetrics metrics;
    private volatile RecoveryReport recovery;
    private volatile boolean closed;
    /**
     * The highest entry id of a record found on disk at open: what an earlier process appended.
     * Not the checkpoint's count of ids, which may include ids no record holds any more (moved
     * aside as damaged): the flush would never reach those.
     */
    private final long recoveredThroughId;

    private WriteAheadLog(WalConfig config, DirectoryLock lock, Recovery.Opened opened, WalSink sink,
                          WalCounters counters, LagClock lag, Quarantine quarantine, MeterRegistry registry,
                          Consumer<Throwable> flushErrors) throws IOException {
        this.config = config;
        this.lock = lock;
        this.logId = opened.logId();
        this.catalog = opened.catalog();
        this.counters = counters;
        this.lag = lag;
        this.recovery = opened.report();
        this.writer = new LogWriter(config.directory(), logId, config, catalog, opened.active(), opened.nextId(),
                counters, lag);
        this.tracker = new FlushTracker(opened.flushedThroughId(), opened.lastRecordId(), opened.nextId() - 1);
        this.recoveredThroughId = opened.lastRecordId();
        this.flusher = sink == null ? null : new Flusher(config, logId, catalog, writer, sink, counters, tracker,
                opened.checkpoint(), lag, quarantine, Clock.systemUTC(), flushErrors);
        if (flusher != null) {
            writer.onDurable(flusher::signal);
        }
        this.metrics = config.enableMetrics() && registry != null
                ? new WalMetrics(registry, config.directory().toString(), counters, this::stats, this::health) : null;
    }

    /**
     * Opens (and recovers) the log in {@code config.directory()}.
     *
     * @param sink where records are flushed, or null to only append
     * @param registry where meters go when {@code enableMetrics}, or null for none
     * @throws WalException when the directory is in use or cannot be read or written
     */
    public static WriteAheadLog open(WalConfig config, WalSink sink, MeterRegistry registry) {
        return open(config, sink, registry, e -> { });
    }

    /**
     * Opens (and recovers) the log, telling {@code flushErrors} of every failed flush attempt (on a
     * flush worker's thread; it must not block).
     */
    public static WriteAheadLog open(WalConfig config, WalSink sink, MeterRegistry registry,
                                     Consumer<Throwable> flushErrors) {
        Path dir = config.directory().toAbsolutePath();
        WalConfig cfg = config.directory(dir);
        DirectoryLock lock = null;
        try {
            java.nio.file.Files.createDirectories(dir);
            lock = DirectoryLock.acquire(dir);
            Quarantine quarantine = new Quarantine(dir);
            Recovery.Opened opened = Recovery.open(dir, quarantine);
            WalCounters counters = new WalCounters();
            counters.corruptRecords.addAndGet(opened.report().damages().stream()
                    .filter(d -> d.kind() == WalDamage.Kind.CORRUPT).count());
            LagClock lag = new LagClock();
            if (opened.report().unflushed() > 0) {
                lag.written(opened.nextId() - 1, System.nanoTime());
            }
            WriteAheadLog log = new WriteAheadLog(cfg, lock, opened, sink, counters, lag, quarantine, registry,
                    flushErrors);
            log.start(opened.nextId() - 1);
            return log;
        } catch (IOException e) {
            closeQuietly(lock);
            throw new WalException("cannot open the write-ahead log in " + dir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(lock);
            throw e;
        }
    }

    private void start(long lastIdAtOpen) {
        writer.start();
        if (flusher == null) {
            return;
        }
        flusher.start();
        RecoveryReport r = recovery;
        if (r.unflushed() == 0) {
            recovery = r.withReplayed(0);
            return;
        }
        if (!config.enableRecovery()) {
            LOG.info("WAL {}: {} record(s) not yet in the database are flushed in the background (recovery wait"
                    + " disabled)", config.directory(), r.unflushed());
            return;
        }
        long start = System.nanoTime();
        long deadline = start + config.recoveryTimeout().toNanos();
        boolean done = false;
        try {
            // In slices, so that a long replay shows its progress in the log.
            while (!done && System.nanoTime() < deadline) {
                long slice = Math.min(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(5));
                done = tracker.awaitFlushed(lastIdAtOpen, slice);
                if (!done) {
                    LOG.info("WAL {}: replaying, {} of {} record(s) in the database", config.directory(),
                            Math.max(0, r.unflushed() - backlog()), r.unflushed());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long replayed = done ? r.unflushed() : Math.max(0, r.unflushed() - backlog());
        recovery = r.withReplayed(replayed);
        if (done) {
            LOG.info("WAL {}: replayed {} record(s) into the database in {} ms", config.directory(), r.unflushed(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        } else {
            LOG.warn("WAL {}: recovery did not finish within {}: {} record(s) still wait on disk and are flushed"
                    + " in the background ({})", config.directory(), config.recoveryTimeout(), backlog(),
                    flusher.lastError() == null ? "database slow" : "last error: " + flusher.lastError());
        }
    }

    /** Appends a record in the configured mode; returns its entry id. */
    public long append(int type, byte[] payload) {
        return append(type, payload, config.mode() == WalMode.DURABLE);
    }

    /**
     * Appends a record; with {@code durable} it returns only after the fsync that covers it,
     * whatever the configured mode.
     *
     * @param type 1 to 255
     * @throws WalBackpressureException when the backlog stayed full for {@code backpressureTimeout}
     * @throws WalException when the log is closed or broken
     */
    public long append(int type, byte[] payload, boolean durable) {
        if (type < 1 || type > 255) {
            throw new IllegalArgumentException("record type must be 1 to 255, got " + type);
        }
        if (payload == null) {
            throw new IllegalArgumentException("payload must not be null");
        }
        if (payload.length > SegmentFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException("payload is " + payload.length + " bytes, over the limit of "
                    + SegmentFormat.MAX_PAYLOAD);
        }
        admit();
        try {
            return writer.append(type, payload, durable);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalException("interrupted while appending to the write-ahead log; the record may or may not"
                    + " be in it");
        }
    }

    /** Back-pressure: waits while the backlog is at its bound, then gives up with a clear error. */
    private void admit() {
        if (flusher == null || backlog() < config.maxBacklog()) {
            return;
        }
        boolean room;
        try {
            room = tracker.awaitUntil(() -> backlog() < config.maxBacklog() || closed || writer.failure() != null,
                    config.backpressureTimeout().toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            room = false;
        }
        if (!room) {
            counters.backpressureRejections.incrementAndGet();
            String why = flusher.lastError() == null ? "the database is not keeping up"
                    : "flushing is " + flusher.state() + ", last error: " + flusher.lastError();
            throw new WalBackpressureException("write-ahead log backlog is full: " + backlog()
                    + " record(s) on disk are not yet in the database (maxBacklog " + config.maxBacklog()
                    + "); waited " + config.backpressureTimeout() + " for room; " + why
                    + ". Nothing was written: retry later or slow down.");
        }
    }

    private long backlog() {
        return Math.max(0, writer.lastAssignedId() - tracker.flushedThroughId());
    }

    /** Makes every record appended so far durable (one fsync, shared with concurrent callers). */
    public void sync() {
        long target = writer.lastAssignedId();
        writer.requestSync();
        try {
            writer.awaitDurable(target);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalException("interrupted while waiting for the fsync");
        }
    }

    /** Waits until entry {@code entryId} and all before it are in the database; false on timeout. */
    public boolean awaitFlushed(long entryId, Duration timeout) {
        if (flusher == null) {
            return false;
        }
        writer.requestSync();
        try {
            return tracker.awaitFlushed(entryId, timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until everything appended so far is in the database; false on timeout. */
    public boolean awaitFlushed(Duration timeout) {
        return awaitFlushed(writer.lastAssignedId(), timeout);
    }

    /** The bytes a record of {@code payloadBytes} takes in a segment: the payload and its frame. */
    public static int recordSize(int payloadBytes) {
        return SegmentFormat.recordSize(payloadBytes);
    }

    /** The highest entry id handed out so far. */
    public long lastEntryId() {
        return writer.lastAssignedId();
    }

    /**
     * Whether every record an earlier process left in the directory is in the database (at once
     * true for a new log, or one flushed before it closed).
     */
    public boolean recoveredFlushed() {
        return tracker.flushedThroughId() >= recoveredThroughId;
    }

    /** Every entry up to this id is in the database. */
    public long flushedThroughId() {
        return tracker.flushedThroughId();
    }

    /** This log's id: random, chosen when the directory was first used, stored in every segment. */
    public long logId() {
        return logId;
    }

    public Path directory() {
        return config.directory();
    }

    public WalConfig config() {
        return config;
    }

    /** What opening found, repaired and replayed. */
    public RecoveryReport recovery() {
        return recovery;
    }

    public WalHealth health() {
        double lagSeconds = lag.lagSeconds(tracker.flushedThroughId(), System.nanoTime());
        if (closed) {
            return new WalHealth(WalHealth.State.CLOSED, backlog(), lagSeconds, 0, null, null);
        }
        Throwable broken = writer.failure();
        if (broken != null) {
            return new WalHealth(WalHealth.State.BROKEN, backlog(), lagSeconds, 0, null, broken.toString());
        }
        if (flusher == null) {
            return new WalHealth(WalHealth.State.HEALTHY, backlog(), lagSeconds, 0, null, null);
        }
        return new WalHealth(flusher.state(), backlog(), lagSeconds, flusher.consecutiveFailures(),
                flusher.failingSince(), flusher.lastError());
    }

    public WalStats stats() {
        long fsyncs = counters.fsyncs.get();
        return new WalStats(counters.appended.sum(), counters.flushed.get(), counters.duplicatesSkipped.get(),
                counters.flushOperations.get(), counters.averageFlushMillis(), counters.p99FlushMillis(), backlog(),
                lag.lagSeconds(tracker.flushedThroughId(), System.nanoTime()), catalog.count(), fsyncs,
                fsyncs == 0 ? 0 : (double) counters.syncedRecords.get() / fsyncs, counters.flushFailures.get(),
                counters.backpressureRejections.get(), counters.corruptRecords.get());
    }

    /** Closes, flushing for at most 10 s; see {@link #close(Duration)}. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_BOUND);
    }

    /**
     * Refuses new appends, writes and fsyncs what is buffered, flushes to the database for at most
     * {@code bound}, saves the checkpoint and releases the directory. What did not reach the
     * database stays on disk for the next open. Idempotent.
     */
    public synchronized void close(Duration bound) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close(bound.toMillis() + 5_000);
            if (flusher != null) {
                flusher.close(bound);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tracker.wakeAll();
            if (metrics != null) {
                metrics.close();
            }
            closeQuietly(lock);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {} failed: {}", c, e.toString());
            }
        }
    }
}
