package dev.sluice.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records and makes them durable with group commit.
 *
 * <p>Appenders frame their record into an in-memory buffer under a short lock, taking the next
 * entry id. The writer thread ({@code sluice-wal-writer}) swaps that buffer for the spare one and
 * writes it to the active segment in one call, while appenders fill the other buffer. The single
 * syncer thread ({@code sluice-wal-sync}) fsyncs what was written: at once in durable mode, and in
 * relaxed mode every flush interval or when asked ({@link #requestSync}). One fsync covers every
 * record written since the previous one, and all appenders waiting for it are released together.
 * Writing goes on while an fsync runs, so a long fsync (relaxed mode, seconds of records) never
 * stalls the appenders, and in durable mode the records written meanwhile ride the next fsync.
 *
 * <p>Segments roll at {@code maxSegmentSize} records. The roll is decided by the appender (which
 * counts) and done by the writer (which owns the files); the writer hands each written range to
 * the syncer with its channel, and a finished segment's channel is closed by the syncer once it
 * has fsynced it. After a new file appears the directory is fsynced too, so a segment never
 * disappears in a power cut after it held acknowledged records.
 *
 * <p>Any write or fsync error fails the log for good: after a failed fsync the kernel may have
 * dropped the dirty pages, and retrying could report success falsely. Every waiting and later
 * append then throws; records acknowledged before are on disk, and a restart recovers them.
 * Thread-safe.
 */
final class LogWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
    /**
     * Finished segments keep their file open until fsynced; at high relaxed-mode rates more than
     * this many waiting trigger an fsync before the interval, so open files stay few.
     */
    private static final int MAX_SEALED_WAITING = 32;

    /** What the writer hands the syncer: records up to {@code lastId} are written to {@code channel}. */
    private record Written(FileChannel channel, long lastId, boolean sealed, boolean newFile) {
    }

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
     * Appenders waiting for an fsync. The syncer unparks them all after each fsync and each checks
     * the volatile durable id on its own: no lock to hand from one to the next, so many released
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

    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition syncWake = syncLock.newCondition();
    // guarded by syncLock
    private final ArrayDeque<Written> toSync = new ArrayDeque<>();
    private int sealedWaiting;
    private boolean writerDone;

    private volatile long lastAssignedId;
    private volatile long writtenId;
    private volatile long durableId;
    private volatile long syncWanted;
    private volatile Throwable failure;
    private volatile long lastSyncRecords;
    private volatile long lastSyncDurationNanos;

    // owned by the writer thread
    private Segment active;
    private FileChannel activeChannel;
    private long activeRecords;
    private long activeSize;

    // owned by the syncer thread
    private long lastSyncNanos = System.nanoTime();
    private final Set<FileChannel> open = new LinkedHashSet<>();

    private final Thread writer;
    private final Thread syncer;

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
        this.open.add(activeChannel);
        this.writer = Thread.ofPlatform().daemon().name("sluice-wal-writer").unstarted(this::writeLoop);
        this.syncer = Thread.ofPlatform().daemon().name("sluice-wal-sync").unstarted(this::syncLoop);
    }

    /** Sets what runs after each fsync that made new records durable (the flusher's wake-up). */
    void onDurable(Runnable listener) {
        this.onDurable = listener;
    }

    void start() {
        writer.start();
        syncer.start();
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
        lockForAppend();
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

    /**
     * The append lock is held for a few hundred nanoseconds, so a short spin usually gets it
     * without parking: with many producers on few cores, parking and waking on every contended
     * append would cost more than the append itself.
     */
    private void lockForAppend() {
        for (int i = 0; i < 64; i++) {
            if (lock.tryLock()) {
                return;
            }
            Thread.onSpinWait();
        }
        lock.lock();
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
        wakeSyncer();
    }

    private void wakeSyncer() {
        syncLock.lock();
        try {
            syncWake.signal();
        } finally {
            syncLock.unlock();
        }
    }

    // ---- writer thread ----------------------------------------------------------------------

    private void writeLoop() {
        try {
            while (true) {
                AppendBuffer buffer = null;
                lock.lock();
                try {
                    while (filling.isEmpty() && !closing && failure == null) {
                        writerWaiting = true;
                        try {
                            writerWake.await();
                        } finally {
                            writerWaiting = false;
                        }
                    }
                    if (failure != null) {
                        return;
                    }
                    gather();
                    if (!filling.isEmpty()) {
                        buffer = filling;
                        filling = spare;
                        spare = null;
                        bufferFree.signalAll();
                    }
                } finally {
                    lock.unlock();
                }
                if (buffer == null) {
                    // closing and nothing left: the syncer fsyncs and closes the active segment last
                    hand(new Written(activeChannel, writtenId, true, false), true);
                    return;
                }
                writeOut(buffer);
                lock.lock();
                try {
                    buffer.clear();
                    spare = buffer;
                    bufferFree.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        } catch (InterruptedException e) {
            fail(new WalException("the log's writer thread was interrupted"));
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
        long target = lastSyncRecords;
        if (mode != WalMode.DURABLE || closing || filling.isEmpty() || filling.records() >= target) {
            return;
        }
        long deadline = System.nanoTime() + Math.min(lastSyncDurationNanos / 2, TimeUnit.MILLISECONDS.toNanos(1));
        gatherTarget = target;
        try {
            while (filling.records() < target && !closing) {
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

    /** Writes a buffer to the active segment, rolling to new segments where it is marked. */
    private void writeOut(AppendBuffer buffer) throws IOException {
        int from = 0;
        long recordsLeft = buffer.records();
        long id = buffer.firstId();
        List<Written> written = new ArrayList<>(2);
        for (AppendBuffer.Roll roll : buffer.rolls()) {
            if (roll.position() > from) {
                long n = roll.firstId() - id;
                writeFully(buffer.slice(from, roll.position()));
                activeRecords += n;
                recordsLeft -= n;
                active.written(roll.firstId() - 1, activeRecords, activeSize);
            }
            written.add(new Written(activeChannel, roll.firstId() - 1, true, false));
            roll(roll.firstId());
            written.add(new Written(activeChannel, roll.firstId() - 1, false, true));
            from = roll.position();
            id = roll.firstId();
        }
        writeFully(buffer.slice(from, buffer.length()));
        activeRecords += recordsLeft;
        active.written(buffer.lastId(), activeRecords, activeSize);
        written.add(new Written(activeChannel, buffer.lastId(), false, false));
        writtenId = buffer.lastId();
        lag.written(buffer.lastId(), System.nanoTime());
        for (Written w : written) {
            hand(w, false);
        }
    }

    private void hand(Written w, boolean last) {
        syncLock.lock();
        try {
            toSync.add(w);
            if (w.sealed()) {
                sealedWaiting++;
            }
            if (last) {
                writerDone = true;
            }
            // In relaxed mode the syncer wakes by itself at the interval; wake it early only when
            // someone waits for an fsync or finished segments pile up.
            if (mode == WalMode.DURABLE || last || syncWanted > durableId || sealedWaiting > MAX_SEALED_WAITING) {
                syncWake.signal();
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            activeSize += activeChannel.write(b);
        }
    }

    private void roll(long firstId) throws IOException {
        active.seal();
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
    }

    // ---- syncer thread ----------------------------------------------------------------------

    private void syncLoop() {
        try {
            while (true) {
                List<Written> batch = new ArrayList<>();
                boolean last;
                syncLock.lock();
                try {
                    while (failure == null && !writerDone && !syncDue()) {
                        long wait = toSync.isEmpty() ? TimeUnit.SECONDS.toNanos(1) : nanosToIntervalSync();
                        syncWake.awaitNanos(wait);
                    }
                    if (failure != null) {
                        return;
                    }
                    batch.addAll(toSync);
                    toSync.clear();
                    sealedWaiting = 0;
                    last = writerDone;
                } finally {
                    syncLock.unlock();
                }
                sync(batch);
                if (last) {
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

    /** Called with syncLock held. */
    private boolean syncDue() {
        if (toSync.isEmpty()) {
            return false;
        }
        return mode == WalMode.DURABLE || syncWanted > durableId || sealedWaiting > MAX_SEALED_WAITING
                || System.nanoTime() - lastSyncNanos >= intervalNanos;
    }

    private long nanosToIntervalSync() {
        long left = intervalNanos - (System.nanoTime() - lastSyncNanos);
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(left, intervalNanos));
    }

    private void sync(List<Written> batch) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        long target = durableId;
        boolean newFile = false;
        Set<FileChannel> channels = new LinkedHashSet<>();
        List<FileChannel> sealed = new ArrayList<>();
        for (Written w : batch) {
            channels.add(w.channel());
            open.add(w.channel());
            target = Math.max(target, w.lastId());
            newFile |= w.newFile();
            if (w.sealed()) {
                sealed.add(w.channel());
            }
        }
        for (FileChannel ch : channels) {
            ch.force(false);
        }
        if (newFile) {
            CheckpointFile.syncDirectory(dir);
        }
        for (FileChannel ch : sealed) {
            ch.close();
            open.remove(ch);
        }
        if (target > durableId) {
            counters.fsyncs.incrementAndGet();
            counters.syncedRecords.addAndGet(target - durableId);
            lastSyncRecords = target - durableId;
            lastSyncDurationNanos = System.nanoTime() - start;
            durableId = target;
            releaseDurableWaiters();
            onDurable.run();
        }
        lastSyncNanos = System.nanoTime();
    }

    // ---- failure and close ------------------------------------------------------------------

    private void fail(Throwable e) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = e;
        }
        LOG.error("the write-ahead log in {} failed; it takes no more records until restarted", dir, e);
        lock.lock();
        try {
            bufferFree.signalAll();
            writerWake.signalAll();
        } finally {
            lock.unlock();
        }
        wakeSyncer();
        releaseDurableWaiters();
    }

    private void closeChannels() {
        for (FileChannel ch : open) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing after the data was synced or the log failed: nothing more to save
            }
        }
        open.clear();
    }

    /** Writes and fsyncs what is buffered, then stops both threads; appends fail from now on. */
    void close(long boundMillis) throws InterruptedException {
        lock.lock();
        try {
            closing = true;
            writerWake.signal();
            bufferFree.signalAll();
        } finally {
            lock.unlock();
        }
        if (writer.getState() == Thread.State.NEW) {
            closeChannelsUnstarted();
            return;
        }
        writer.join(boundMillis);
        syncer.join(boundMillis);
        if (failure != null && (writer.isAlive() || syncer.isAlive())) {
            writer.interrupt();
            syncer.interrupt();
        }
        if (failure != null) {
            closeChannelsUnstarted();
        }
    }

    private void closeChannelsUnstarted() {
        try {
            activeChannel.close();
        } catch (IOException ignored) {
            // never written
        }
        closeChannels();
    }
}
