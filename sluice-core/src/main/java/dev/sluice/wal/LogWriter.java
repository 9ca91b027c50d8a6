package dev.sluice.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records and makes them durable with group commit.
 *
 * <p>Appenders frame their record into an in-memory buffer under a short lock, taking the next
 * entry id. One thread ({@code sluice-wal-sync}) swaps that buffer for an empty one, writes it
 * to the active segment in one call, and then fsyncs: always in durable mode, and in relaxed mode
 * when the flush interval has passed or someone asked ({@link #requestSync}). One fsync covers
 * every record written since the previous one, and all appenders waiting for it are released
 * together; while it runs, appenders fill the other buffer, so the next fsync covers them. With
 * many producers an fsync thus carries many records, and throughput grows with the producers.
 *
 * <p>Segments roll at {@code maxSegmentSize} records. The roll is decided by the appender (which
 * counts) and done by the writer thread (which owns the files); a finished segment is fsynced in
 * the next group commit before its channel is closed, and the directory is fsynced after a new
 * file appears, so a segment never disappears in a power cut after it held acknowledged records.
 *
 * <p>Any write or fsync error fails the log for good: after a failed fsync the kernel may have
 * dropped the dirty pages, and retrying could report success falsely. Every waiting and later
 * append then throws; records acknowledged before are on disk, and a restart recovers them.
 * Thread-safe.
 */
final class LogWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

    private final Path dir;
    private final long logId;
    private final WalMode mode;
    private final long maxSegmentRecords;
    private final long intervalNanos;
    private final SegmentCatalog catalog;
    private final WalCounters counters;
    private final LagClock lag;
    private volatile Runnable onDurable = () -> { };

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writerWake = lock.newCondition();
    private final Condition bufferFree = lock.newCondition();
    /**
     * Appenders waiting for an fsync. The writer unparks them all after each fsync and each checks
     * the volatile durable id on its own: no lock to hand from one to the next, so 16 released
     * producers run again at once instead of queueing through a lock convoy.
     */
    private final ConcurrentLinkedQueue<Thread> durableWaiters = new ConcurrentLinkedQueue<>();

    // guarded by lock
    private AppendBuffer filling;
    private AppendBuffer spare;
    private long nextId;
    private long recordsInSegment;
    private boolean writerWaiting;
    private long gatherTarget;
    private boolean closing;

    private volatile long lastAssignedId;
    private volatile long writtenId;
    private volatile long durableId;
    private volatile long syncWanted;
    private volatile Throwable failure;

    // owned by the writer thread
    private Segment active;
    private FileChannel activeChannel;
    private long activeRecords;
    private long activeSize;
    private final List<FileChannel> sealedUnsynced = new ArrayList<>();
    private boolean directoryDirty;
    private long lastSyncNanos = System.nanoTime();
    private long lastSyncRecords;
    private long lastSyncDurationNanos;

    private final Thread thread;

    /**
     * @param active the segment to append to (created or recovered), with its records and size
     * @param nextId the id the next record gets
     */
    LogWriter(Path dir, long logId, WalConfig config, SegmentCatalog catalog, Segment active, long nextId,
              WalCounters counters, LagClock lag) throws IOException {
        this.dir = dir;
        this.logId = logId;
        this.mode = config.mode();
        this.maxSegmentRecords = config.maxSegmentSize();
        this.intervalNanos = config.flushInterval().toNanos();
        this.catalog = catalog;
        this.counters = counters;
        this.lag = lag;
        this.filling = new AppendBuffer(config.maxBufferSize());
        this.spare = new AppendBuffer(config.maxBufferSize());
        this.nextId = nextId;
        this.lastAssignedId = nextId - 1;
        this.writtenId = nextId - 1;
        this.durableId = nextId - 1;
        this.active = active;
        this.activeRecords = active.records();
        this.activeSize = active.size();
        this.recordsInSegment = active.records();
        this.activeChannel = FileChannel.open(active.path(), StandardOpenOption.WRITE);
        this.activeChannel.position(activeSize);
        this.thread = Thread.ofPlatform().daemon().name("sluice-wal-sync").unstarted(this::run);
    }

    /** Sets what runs after each fsync that made new records durable (the flusher's wake-up). */
    void onDurable(Runnable listener) {
        this.onDurable = listener;
    }

    void start() {
        thread.start();
    }

    /** The highest id handed out so far. */
    long lastAssignedId() {
        return lastAssignedId;
    }

    /** Every record up to this id is fsynced. */
    long durableId() {
        return durableId;
    }

    long writtenId() {
        return writtenId;
    }

    /** Why the log failed, or null. */
    Throwable failure() {
        return failure;
    }

    /**
     * Appends one record and returns its entry id: after the write to the buffer, or with
     * {@code durable} after the fsync that covers it.
     */
    long append(int type, byte[] payload, boolean durable) throws InterruptedException {
        long id;
        lock.lock();
        try {
            while (filling.full(payload.length)) {
                checkUsable();
                if (writerWaiting) {
                    writerWake.signal();
                }
                bufferFree.await();
            }
            checkUsable();
            id = nextId++;
            if (recordsInSegment >= maxSegmentRecords) {
                filling.markRoll(id);
                recordsInSegment = 0;
            }
            recordsInSegment++;
            filling.put(id, type, payload);
            lastAssignedId = id;
            if (durable && syncWanted < id) {
                syncWanted = id;
            }
            // While the writer gathers a group, only the record that completes it wakes it.
            if (writerWaiting && filling.records() >= gatherTarget) {
                writerWake.signal();
            }
        } finally {
            lock.unlock();
        }
        counters.appended.increment();
        if (durable) {
            awaitDurable(id);
        }
        return id;
    }

    private void checkUsable() {
        if (failure != null) {
            throw failed();
        }
        if (closing) {
            throw new WalException("the write-ahead log in " + dir + " is closed");
        }
    }

    private WalException failed() {
        return new WalException("the write-ahead log in " + dir + " failed and takes no more records: " + failure
                + ". Records acknowledged before are on disk; restart to recover them.", failure);
    }

    /** Waits until every record up to {@code id} is fsynced. */
    void awaitDurable(long id) throws InterruptedException {
        if (durableId >= id) {
            return;
        }
        Thread me = Thread.currentThread();
        durableWaiters.add(me);
        try {
            while (durableId < id) {
                if (failure != null) {
                    throw failed();
                }
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            durableWaiters.remove(me);
        }
    }

    private void releaseDurableWaiters() {
        for (Thread t : durableWaiters) {
            LockSupport.unpark(t);
        }
    }

    /** Asks for an fsync of everything appended so far, without waiting for it. */
    void requestSync() {
        long target = lastAssignedId;
        if (durableId >= target) {
            return;
        }
        if (syncWanted < target) {
            syncWanted = target;
        }
        lock.lock();
        try {
            if (writerWaiting) {
                writerWake.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        try {
            while (true) {
                AppendBuffer buffer = null;
                boolean exit = false;
                lock.lock();
                try {
                    while (filling.isEmpty() && !closing && !syncDue()) {
                        writerWaiting = true;
                        try {
                            writerWake.awaitNanos(nanosToIntervalSync());
                        } finally {
                            writerWaiting = false;
                        }
                    }
                    gather();
                    if (!filling.isEmpty()) {
                        buffer = filling;
                        filling = spare;
                        spare = null;
                        bufferFree.signalAll();
                    } else if (closing) {
                        exit = true;
                    }
                } finally {
                    lock.unlock();
                }
                if (buffer != null) {
                    writeOut(buffer);
                }
                if (mode == WalMode.DURABLE || syncDue() || exit) {
                    sync();
                }
                if (buffer != null) {
                    lock.lock();
                    try {
                        buffer.clear();
                        spare = buffer;
                        bufferFree.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                if (exit) {
                    closeChannels();
                    return;
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        } catch (InterruptedException e) {
            fail(new WalException("the log's sync thread was interrupted"));
        }
    }

    /**
     * Durable mode: the producers the last fsync released come back within microseconds. Waiting
     * a little (at most half as long as that fsync took, never more than 1 ms) until as many
     * records are buffered as the last fsync carried lets one fsync cover them all instead of
     * splitting them over two, as PostgreSQL's commit_delay does. A lone producer never waits:
     * the last fsync carried its one record. Called with the lock held.
     */
    private void gather() throws InterruptedException {
        if (mode != WalMode.DURABLE || closing || filling.isEmpty() || filling.records() >= lastSyncRecords) {
            return;
        }
        long deadline = System.nanoTime() + Math.min(lastSyncDurationNanos / 2, TimeUnit.MILLISECONDS.toNanos(1));
        gatherTarget = lastSyncRecords;
        try {
            while (filling.records() < lastSyncRecords && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                writerWaiting = true;
                try {
                    writerWake.awaitNanos(left);
                } finally {
                    writerWaiting = false;
                }
            }
        } finally {
            gatherTarget = 0;
        }
    }

    private boolean syncDue() {
        if (durableId >= writtenId && durableId >= lastAssignedId) {
            return false;
        }
        return syncWanted > durableId || System.nanoTime() - lastSyncNanos >= intervalNanos;
    }

    private long nanosToIntervalSync() {
        long left = intervalNanos - (System.nanoTime() - lastSyncNanos);
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(left, intervalNanos));
    }

    /** Writes a buffer to the active segment, rolling to new segments where it is marked. */
    private void writeOut(AppendBuffer buffer) throws IOException {
        int from = 0;
        long recordsLeft = buffer.records();
        long id = buffer.firstId();
        for (AppendBuffer.Roll roll : buffer.rolls()) {
            if (roll.position() > from) {
                long n = roll.firstId() - id;
                writeFully(buffer.slice(from, roll.position()));
                activeRecords += n;
                recordsLeft -= n;
                active.written(roll.firstId() - 1, activeRecords, activeSize);
            }
            roll(roll.firstId());
            from = roll.position();
            id = roll.firstId();
        }
        writeFully(buffer.slice(from, buffer.length()));
        activeRecords += recordsLeft;
        active.written(buffer.lastId(), activeRecords, activeSize);
        writtenId = buffer.lastId();
        lag.written(buffer.lastId(), System.nanoTime());
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            activeSize += activeChannel.write(b);
        }
    }

    private void roll(long firstId) throws IOException {
        active.seal();
        sealedUnsynced.add(activeChannel);
        Path path = dir.resolve(SegmentFormat.fileName(firstId));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        ByteBuffer header = SegmentFormat.header(logId, firstId);
        while (header.hasRemaining()) {
            ch.write(header);
        }
        activeChannel = ch;
        activeRecords = 0;
        activeSize = SegmentFormat.HEADER_SIZE;
        active = new Segment(path, firstId, firstId - 1, 0, activeSize);
        catalog.add(active);
        directoryDirty = true;
    }

    private void sync() throws IOException {
        long target = writtenId;
        if (target > durableId) {
            long start = System.nanoTime();
            for (FileChannel ch : sealedUnsynced) {
                ch.force(false);
                ch.close();
            }
            sealedUnsynced.clear();
            activeChannel.force(false);
            if (directoryDirty) {
                CheckpointFile.syncDirectory(dir);
                directoryDirty = false;
            }
            counters.fsyncs.incrementAndGet();
            counters.syncedRecords.addAndGet(target - durableId);
            lastSyncRecords = target - durableId;
            lastSyncDurationNanos = System.nanoTime() - start;
            durableId = target;
            onDurable.run();
        }
        lastSyncNanos = System.nanoTime();
        releaseDurableWaiters();
    }

    private void fail(Throwable e) {
        LOG.error("the write-ahead log in {} failed; it takes no more records until restarted", dir, e);
        failure = e;
        lock.lock();
        try {
            bufferFree.signalAll();
        } finally {
            lock.unlock();
        }
        releaseDurableWaiters();
        closeChannels();
    }

    private void closeChannels() {
        for (FileChannel ch : sealedUnsynced) {
            closeQuietly(ch);
        }
        sealedUnsynced.clear();
        closeQuietly(activeChannel);
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing after the data was synced or the log failed: nothing more to save
        }
    }

    /** Writes and fsyncs what is buffered, then stops the thread; appends fail from now on. */
    void close(long boundMillis) throws InterruptedException {
        lock.lock();
        try {
            closing = true;
            writerWake.signal();
            bufferFree.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread.isAlive() || thread.getState() != Thread.State.NEW) {
            thread.join(boundMillis);
        } else {
            closeChannels();
        }
    }
}
