package dev.sluice.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves durable records into the database. One dispatcher thread ({@code sluice-wal-flush})
 * reads records up to the fsynced id in log order, cuts them into batches of at most
 * {@code batchSize} and queues them for {@code workerCount} workers ({@code sluice-wal-flush-N}).
 * A worker takes every consecutive batch waiting, up to {@code maxBufferSize} records, and
 * writes them through the {@link WalSink} in one transaction, one statement per batch of
 * {@code batchSize} (the sink may merge them further): under load a commit (an fsync of the
 * database) carries many batches; at low load a record goes at once, and reaches the database
 * within a round trip.
 *
 * <p>Only fsynced records are flushed. So no entry id can reach the database and then vanish from
 * the log in a crash, and the ids the log hands out after a restart never collide with ids
 * already applied. In relaxed mode the dispatcher asks for an fsync when it has caught up.
 *
 * <p>A failed batch is retried with back-off up to {@code maxFlushRetries} times, then reported
 * as failing (health, metrics, an error in the log) and retried every flush interval until the
 * database answers. It never leaves the disk before it is in the database. The dispatcher also
 * saves the checkpoint, tells the sink what it may forget, and deletes expired segments.
 * Thread-safe.
 */
final class Flusher {
    private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final WalConfig config;
    private final long logId;
    private final SegmentCatalog catalog;
    private final LogWriter writer;
    private final WalSink sink;
    private final WalCounters counters;
    private final FlushTracker tracker;
    private final SegmentJanitor janitor;
    private final LagClock lag;
    private final Quarantine quarantine;
    private final ArrayBlockingQueue<FlushBatch> work;
    private final ReentrantLock taking = new ReentrantLock();
    private final int recordsPerTransaction;
    private final Consumer<Throwable> errors;
    private final Object wake = new Object();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger busyWorkers = new AtomicInteger();
    private volatile boolean running = true;
    private volatile boolean abandon;
    private boolean signalled;

    // failure state, written by workers
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile Instant failingSince;
    private volatile String lastError;
    private volatile boolean failing;

    // dispatcher-owned cursor
    private Segment segment;
    private FileChannel channel;
    private SegmentReader reader;
    private long position;
    private long orderId;
    private long lastReadId;
    private long seq;
    private long lastCheckpointNanos;
    private long lastForgetNanos;
    private long lastForgotten = Long.MIN_VALUE;
    private long lastReportNanos = System.nanoTime();

    Flusher(WalConfig config, long logId, SegmentCatalog catalog, LogWriter writer, WalSink sink, WalCounters counters,
            FlushTracker tracker, Checkpoint checkpoint, LagClock lag, Quarantine quarantine, Clock clock,
            Consumer<Throwable> errors) {
        this.errors = errors;
        this.config = config;
        this.logId = logId;
        this.catalog = catalog;
        this.writer = writer;
        this.sink = sink;
        this.counters = counters;
        this.tracker = tracker;
        this.lag = lag;
        this.quarantine = quarantine;
        this.janitor = new SegmentJanitor(config.directory(), logId, config.segmentRetention().toMillis(), catalog, clock,
                checkpoint);
        this.recordsPerTransaction = Math.max(config.batchSize(), config.maxBufferSize());
        // Enough full batches for every worker to take a whole transaction's worth.
        int batchesPerTransaction = Math.ceilDiv(recordsPerTransaction, config.batchSize());
        this.work = new ArrayBlockingQueue<>(config.workerCount() * batchesPerTransaction);
        this.lastReadId = tracker.flushedThroughId();
    }

    void start() {
        threads.add(Thread.ofPlatform().daemon().name("sluice-wal-flush").start(this::dispatch));
        for (int i = 1; i <= config.workerCount(); i++) {
            threads.add(Thread.ofPlatform().daemon().name("sluice-wal-flush-" + i).start(this::work));
        }
    }

    /** New durable records may be there (called after each fsync). */
    void signal() {
        synchronized (wake) {
            signalled = true;
            wake.notifyAll();
        }
    }

    private void pause(long millis) throws InterruptedException {
        synchronized (wake) {
            if (!signalled && running) {
                wake.wait(millis);
            }
            signalled = false;
        }
    }

    // ---- dispatcher -------------------------------------------------------------------------

    private void dispatch() {
        try {
            while (running) {
                long limit = writer.durableId();
                FlushBatch batch = lastReadId < limit ? read(limit) : null;
                if (batch != null) {
                    while (!work.offer(batch, 50, TimeUnit.MILLISECONDS)) {
                        housekeeping(false);
                        if (!running) {
                            return;
                        }
                    }
                    continue;
                }
                if (writer.lastAssignedId() > limit) {
                    writer.requestSync();
                }
                housekeeping(false);
                pause(busyWorkers.get() > 0 ? 20 : 200);
            }
        } catch (InterruptedException e) {
            // closing
        } catch (IOException | RuntimeException e) {
            LOG.error("the WAL flush dispatcher stopped; records stay on disk and are replayed at the next start", e);
            lastError = "dispatcher stopped: " + e;
            failing = true;
        } finally {
            closeCursor();
        }
    }

    /** Reads up to a batch of records with ids up to {@code limit}; null when none is ready. */
    private FlushBatch read(long limit) throws IOException {
        List<WalRecord> records = new ArrayList<>(Math.min(config.batchSize(), 1024));
        while (records.size() < config.batchSize()) {
            if (!ensureCursor()) {
                break;
            }
            // Read before the attempt: bytes below the size published then were complete, and a
            // segment sealed then has all its bytes. Judged after a failed attempt instead, a write
            // and a seal that came in between made a record not yet written look damaged.
            boolean sealed = segment.sealed();
            long written = segment.size();
            SegmentReader.Attempt a = reader.readAt(position, orderId);
            if (!a.ok()) {
                reader.source().refreshSize();
                reader.source().invalidate();
                a = reader.readAt(position, orderId);
            }
            if (a.ok()) {
                long id = a.record().entryId();
                if (id > limit) {
                    break;
                }
                position = a.next();
                orderId = id;
                if (id > lastReadId) {
                    records.add(a.record());
                    lastReadId = id;
                }
                continue;
            }
            if (position < written) {
                skipDamage(a);
            } else if (sealed) {
                if (!nextSegment()) {
                    break;
                }
            } else {
                break; // not written yet
            }
        }
        if (records.isEmpty()) {
            return null;
        }
        return new FlushBatch(seq++, List.copyOf(records), segment, position);
    }

    /** Damage found while flushing (it was not there at start-up): report, move aside, go on. */
    private void skipDamage(SegmentReader.Attempt a) throws IOException {
        long next = reader.resync(position + 1, orderId);
        long end = next < 0 ? segment.size() : next;
        WalDamage damage = new WalDamage(segment.name(), position, end - position, WalDamage.Kind.CORRUPT, a.reason());
        quarantine.moveAside(segment.path(), damage);
        counters.corruptRecords.incrementAndGet();
        position = end;
    }

    private boolean ensureCursor() throws IOException {
        if (segment != null) {
            return true;
        }
        for (Segment s : catalog.list()) {
            if (s.lastId() > lastReadId || !s.sealed()) {
                open(s);
                return true;
            }
        }
        return false;
    }

    private boolean nextSegment() throws IOException {
        Segment next = catalog.after(segment);
        if (next == null) {
            return false;
        }
        closeCursor();
        open(next);
        return true;
    }

    private void open(Segment s) throws IOException {
        segment = s;
        channel = FileChannel.open(s.path(), StandardOpenOption.READ);
        reader = new SegmentReader(SegmentSource.of(channel));
        position = SegmentFormat.HEADER_SIZE;
        orderId = Long.MIN_VALUE;
    }

    private void closeCursor() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
        channel = null;
        segment = null;
        reader = null;
    }

    private void housekeeping(boolean force) {
        long now = System.nanoTime();
        try {
            if (force || now - lastCheckpointNanos >= CHECKPOINT_EVERY_NANOS) {
                lastCheckpointNanos = now;
                janitor.checkpoint(tracker, writer.durableId(), force);
                janitor.deleteExpired(tracker, segment);
            }
            long saved = janitor.savedThroughId();
            if (saved > lastForgotten && (force || now - lastForgetNanos >= config.flushInterval().toNanos())) {
                lastForgetNanos = now;
                sink.forget(logId, saved);
                lastForgotten = saved;
            }
        } catch (Exception e) {
            LOG.warn("WAL checkpoint or clean-up failed (retried later): {}", e.toString());
        }
        if (now - lastReportNanos >= config.metricsInterval().toNanos()) {
            lastReportNanos = now;
            long backlog = writer.lastAssignedId() - tracker.flushedThroughId();
            if (failing) {
                LOG.warn("WAL flushing is failing since {}: {} record(s) wait on disk; last error: {}", failingSince,
                        backlog, lastError);
            } else {
                LOG.debug("WAL: {} appended, {} flushed, backlog {}", counters.appended.sum(), counters.flushed.get(),
                        backlog);
            }
        }
    }

    // ---- workers ----------------------------------------------------------------------------

    private void work() {
        while (running || !work.isEmpty()) {
            List<FlushBatch> group;
            try {
                group = take();
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
                continue;
            }
            if (group.isEmpty()) {
                continue;
            }
            busyWorkers.incrementAndGet();
            try {
                if (applyWithRetry(group)) {
                    for (FlushBatch batch : group) {
                        tracker.finished(batch);
                    }
                    signal();
                }
            } finally {
                busyWorkers.decrementAndGet();
            }
        }
    }

    /**
     * The batches waiting at the head of the queue, up to a transaction's worth; empty when none
     * came within 100 ms. One worker takes at a time, so a transaction holds consecutive batches
     * (their ids form one range in the guard) rather than every other one.
     */
    private List<FlushBatch> take() throws InterruptedException {
        taking.lockInterruptibly();
        try {
            FlushBatch first = work.poll(100, TimeUnit.MILLISECONDS);
            if (first == null) {
                return List.of();
            }
            List<FlushBatch> group = new ArrayList<>();
            group.add(first);
            int records = first.records().size();
            FlushBatch next;
            while ((next = work.peek()) != null && records + next.records().size() <= recordsPerTransaction) {
                group.add(work.poll());
                records += next.records().size();
            }
            return group;
        } finally {
            taking.unlock();
        }
    }

    /**
     * The group's records cut again into statements of at most {@code batchSize}: at moderate
     * load the dispatcher queues small batches, and one statement per small batch would cost a
     * round trip each for nothing.
     */
    private List<List<WalRecord>> statements(List<FlushBatch> group) {
        if (group.size() == 1) {
            return List.of(group.getFirst().records());
        }
        List<List<WalRecord>> out = new ArrayList<>();
        List<WalRecord> current = new ArrayList<>(config.batchSize());
        for (FlushBatch batch : group) {
            for (WalRecord r : batch.records()) {
                if (current.size() == config.batchSize()) {
                    out.add(current);
                    current = new ArrayList<>(config.batchSize());
                }
                current.add(r);
            }
        }
        out.add(current);
        return out;
    }

    private boolean applyWithRetry(List<FlushBatch> group) {
        List<List<WalRecord>> statements = statements(group);
        int size = 0;
        for (FlushBatch batch : group) {
            size += batch.records().size();
        }
        int attempt = 0;
        while (true) {
            if (abandon) {
                return false;
            }
            long start = System.nanoTime();
            try {
                int applied = sink.apply(logId, statements);
                counters.flushTook(System.nanoTime() - start);
                counters.flushed.addAndGet(applied);
                counters.duplicatesSkipped.addAndGet(size - applied);
                if (consecutiveFailures.getAndSet(0) > 0) {
                    LOG.info("WAL flushing works again; the records kept on disk are being written");
                }
                failing = false;
                failingSince = null;
                return true;
            } catch (Exception e) {
                attempt++;
                counters.flushFailures.incrementAndGet();
                if (consecutiveFailures.getAndIncrement() == 0) {
                    failingSince = Instant.now();
                }
                lastError = e.toString();
                try {
                    errors.accept(e);
                } catch (RuntimeException listenerFailed) {
                    LOG.debug("the flush error listener threw: {}", listenerFailed.toString());
                }
                long sleep;
                if (attempt <= config.maxFlushRetries()) {
                    sleep = Math.min(100L << (attempt - 1), config.flushInterval().toMillis());
                    LOG.warn("WAL flush of {} record(s) failed (attempt {} of {}), retrying in {} ms: {}",
                            size, attempt, config.maxFlushRetries() + 1, sleep, e.toString());
                } else {
                    sleep = config.flushInterval().toMillis();
                    if (!failing) {
                        LOG.error("WAL flush failed {} times; the records stay on disk and flushing is retried every {}"
                                + " until the database answers: {}", attempt, config.flushInterval(), e.toString());
                    }
                    failing = true;
                }
                try {
                    sleepUnlessAbandoned(sleep);
                } catch (InterruptedException ie) {
                    return false;
                }
            }
        }
    }

    private void sleepUnlessAbandoned(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!abandon) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            Thread.sleep(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 50));
        }
    }

    // ---- state --------------------------------------------------------------------------------

    long flushedThroughId() {
        return tracker.flushedThroughId();
    }

    WalHealth.State state() {
        if (failing) {
            return WalHealth.State.FAILING;
        }
        return consecutiveFailures.get() > 0 ? WalHealth.State.RETRYING : WalHealth.State.HEALTHY;
    }

    int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    Instant failingSince() {
        return failingSince;
    }

    String lastError() {
        return lastError;
    }

    double lagSeconds() {
        return lag.lagSeconds(tracker.flushedThroughId(), System.nanoTime());
    }

    /**
     * Flushes what is durable for at most {@code bound}, then stops the threads and saves the
     * checkpoint. What is not in the database by then stays on disk for the next start.
     */
    void close(Duration bound) throws InterruptedException {
        long target = writer.durableId();
        signal();
        if (!failing) {
            tracker.awaitFlushed(target, bound.toNanos());
        }
        abandon = true;
        running = false;
        signal();
        for (Thread t : threads) {
            t.join(bound.toMillis() + 1_000);
            if (t.isAlive()) {
                t.interrupt();
                t.join(1_000);
            }
        }
        housekeeping(true);
    }
}
