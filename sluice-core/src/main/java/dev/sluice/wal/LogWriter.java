package dev.sluice.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends records and makes them durable with group commit.
 *
 * <p>Appenders frame their record into an in-memory buffer under a short lock, taking the next
 * entry id. Whoever writes swaps that buffer for the spare one and writes it to the active segment
 * in one call, while appenders fill the other buffer; one fsync covers every record written since
 * the previous one, and all appenders waiting for it are released together.
 *
 * <p>Relaxed mode: the writer thread ({@code sluice-wal-writer}) writes, and the syncer thread
 * ({@code sluice-wal-sync}) fsyncs every flush interval or when asked ({@link #requestSync}).
 * Writing goes on while an fsync runs, so a long fsync (seconds of records) never stalls the
 * appenders.
 *
 * <p>Durable mode: the appenders commit their own group. The durable append that brings the buffer
 * to as many records as there were durable appends under way at the last commit (the number of
 * producers) writes the buffer and fsyncs it itself, on its own thread, while the others of its
 * group wait; if the group does not fill within the last fsync's time, its first appender does
 * the same for what is there. Handing each group to a writer thread and then a syncer thread cost
 * two thread wake-ups per fsync: a lone producer ran at half the rate its fsyncs allow (4,200
 * against 7,400 appends/s here), and sixteen at 36,000 against 53,000-57,000 now. A lone producer
 * writes and fsyncs its record at once. The writer thread writes and fsyncs only what non-durable appends leave buffered. The
 * {@code io} lock lets one thread at a time write and fsync, and owns the files.
 *
 * <p>Segments roll at {@code maxSegmentSize} records. The roll is decided by the appender (which
 * counts) and done by whoever writes (holding {@code io}); each written range goes to the fsync
 * with its file, and a finished segment's file is closed once it is fsynced. After a new file
 * appears the directory is fsynced too, so a segment never disappears in a power cut after it
 * held acknowledged records.
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

    /** A written range, for the fsync: records up to {@code lastId} are written to {@code output}. */
    private record Written(SegmentOutput output, long lastId, boolean sealed, boolean newFile) {
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
    /**
     * Held while a buffer is written and, in durable mode, fsynced: by the writer thread or by an
     * appender committing its group. Taken before {@code lock}, never while waiting on it; whoever
     * holds it owns the segment files and the spare buffer.
     */
    private final ReentrantLock io = new ReentrantLock();
    /** Durable mode: appenders commit their own groups and the syncer thread is not started. */
    private final boolean appendersCommit;
    private final Condition writerWake = lock.newCondition();
    private final Condition bufferFree = lock.newCondition();
    /**
     * Appenders waiting for an fsync. After each fsync they are all woken and each checks the
     * volatile durable id on its own: no lock to hand from one to the next, so many released
     * producers run again at once instead of queueing through a lock convoy.
     */
    private final ConcurrentLinkedQueue<Waiter> durableWaiters = new ConcurrentLinkedQueue<>();
    /** Numbers the releases of {@link #durableWaiters}, so that each waiter is woken once per release. */
    private final AtomicLong releases = new AtomicLong();

    /** A thread waiting for an fsync, and the last release that woke it. */
    private record Waiter(Thread thread, AtomicLong wokenBy) {
    }

    // guarded by lock
    private AppendBuffer filling;
    private AppendBuffer spare;
    private long nextId;
    private long recordsInSegment;
    private boolean writerWaiting;
    private boolean closing;

    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition syncWake = syncLock.newCondition();
    // guarded by syncLock
    private final ArrayDeque<Written> toSync = new ArrayDeque<>();
    private int sealedWaiting;
    private boolean writerDone;

    private volatile long lastAssignedId;
    private volatile long writtenId;
    /** The last id of the buffer being written and fsynced by the holder of {@code io}. */
    private volatile long committingId;
    private volatile long durableId;
    private volatile long syncWanted;
    private volatile Throwable failure;
    /** Durable appends between taking an id and returning: the producers that will append again. */
    private final AtomicInteger durableAppenders = new AtomicInteger();
    /**
     * Durable mode: a group is complete with this many records, the durable appends under way when
     * the last group was taken. Every producer then waits for an fsync, so this counts the
     * producers; with sixteen it is sixteen, even when the last fsync carried fewer.
     */
    private volatile int groupSize;
    private volatile long lastSyncDurationNanos;

    // guarded by io
    private Segment active;
    private SegmentOutput activeOutput;
    private long activeRecords;
    private long activeSize;

    // owned by the syncer thread, or guarded by io in durable mode
    private long lastSyncNanos = System.nanoTime();
    private final Set<SegmentOutput> open = new LinkedHashSet<>();

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
        this.appendersCommit = mode == WalMode.DURABLE;
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
        this.committingId = nextId - 1;
        this.active = active;
        this.activeRecords = active.records();
        this.activeSize = active.size();
        this.recordsInSegment = active.records();
        this.activeOutput = SegmentOutput.openAt(active.path(), activeSize);
        this.open.add(activeOutput);
        this.writer = Thread.ofPlatform().daemon().name("sluice-wal-writer").unstarted(this::writeLoop);
        this.syncer = Thread.ofPlatform().daemon().name("sluice-wal-sync").unstarted(this::syncLoop);
    }

    /** Sets what runs after each fsync that made new records durable (the flusher's wake-up). */
    void onDurable(Runnable listener) {
        this.onDurable = listener;
    }

    void start() {
        writer.start();
        if (!appendersCommit) {
            syncer.start();
        }
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
        AppendBuffer group = null;
        boolean opensGroup = false;
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
            if (durable && appendersCommit) {
                durableAppenders.incrementAndGet();
                // The record that completes the group commits it, unless a commit is under way.
                if (filling.records() >= groupSize && io.tryLock()) {
                    group = takeFillingUnlessFailed();
                }
                opensGroup = filling.records() == 1;
            } else if (writerWaiting) {
                writerWake.signal();
            }
        } finally {
            lock.unlock();
        }
        if (durable && appendersCommit) {
            try {
                if (group != null) {
                    commit(group);
                }
                counters.appended.increment();
                // The first of a group commits it if it has not filled in time; the others wait
                // for it, or for the record that completes the group.
                awaitDurable(id, opensGroup ? System.nanoTime() + gatherNanos() : Long.MAX_VALUE);
            } finally {
                durableAppenders.decrementAndGet();
            }
        } else {
            counters.appended.increment();
            if (durable) {
                awaitDurable(id, Long.MAX_VALUE);
            }
        }
        return id;
    }

    /**
     * Swaps the filling buffer for the spare one and returns it for writing. Called with both
     * {@code io} and {@code lock} held, so the spare buffer is there.
     */
    private AppendBuffer takeFilling() {
        AppendBuffer buffer = filling;
        filling = spare;
        spare = null;
        committingId = buffer.lastId();
        groupSize = durableAppenders.get();
        bufferFree.signalAll();
        return buffer;
    }

    /**
     * Durable mode: writes and fsyncs a group, then releases {@code io} and every waiting appender.
     * Called with {@code io} held. Throws when the log fails, as every waiting append then does.
     */
    private void commit(AppendBuffer buffer) {
        // The appender's interrupt waits until the group is on disk: the directory fsync of a
        // roll goes through a FileChannel, which an interrupt would close mid-call.
        boolean interrupted = Thread.interrupted();
        try {
            sync(writeOut(buffer));
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        } finally {
            giveBack(buffer);
            io.unlock();
            // Also wakes those who found io held when their group should have been committed.
            releaseDurableWaiters();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure != null) {
            throw failed();
        }
    }

    /**
     * {@link #takeFilling}, or with the log failed, releases {@code io} and returns null: no
     * group is written, nor fsynced, after an fsync failed. Called with {@code io} and {@code lock}
     * held.
     */
    private AppendBuffer takeFillingUnlessFailed() {
        if (failure != null) {
            io.unlock();
            return null;
        }
        return takeFilling();
    }

    private void giveBack(AppendBuffer buffer) {
        lock.lock();
        try {
            buffer.clear();
            spare = buffer;
            bufferFree.signalAll();
        } finally {
            lock.unlock();
        }
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

    /** Waits until every record up to {@code id} is fsynced; in durable mode commits it now if need be. */
    void awaitDurable(long id) throws InterruptedException {
        awaitDurable(id, System.nanoTime());
    }

    /**
     * Waits until every record up to {@code id} is fsynced. In durable mode the caller commits the
     * buffered group itself when it is complete, or from {@code deadline} on ({@code Long.MAX_VALUE}:
     * never for time alone), unless a commit under way already covers {@code id}. Only one appender
     * per group waits with a deadline: timed wake-ups of every waiter would cost as much as the
     * thread hand-offs this saves.
     */
    private void awaitDurable(long id, long deadline) throws InterruptedException {
        if (durableId >= id) {
            return;
        }
        Waiter me = new Waiter(Thread.currentThread(), new AtomicLong(releases.get()));
        durableWaiters.add(me);
        try {
            while (durableId < id) {
                // A release may unpark this thread while it waits for lock or io below; that
                // unpark is consumed there, so a release seen since this snapshot means: look again.
                long seen = releases.get();
                if (failure != null) {
                    throw failed();
                }
                if (appendersCommit && id > committingId) {
                    long left = deadline == Long.MAX_VALUE ? Long.MAX_VALUE : deadline - System.nanoTime();
                    if ((left <= 0 || groupComplete()) && io.tryLock()) {
                        commitWaiting();
                        continue;
                    }
                    if (releases.get() != seen) {
                        // a release came meanwhile and its unpark was used up: pass it on, look again
                    } else if (left > 0 && left != Long.MAX_VALUE) {
                        LockSupport.parkNanos(this, left);
                    } else if (left <= 0) {
                        // io is held: its release wakes this waiter; the bound is a second guard
                        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(1));
                    } else {
                        // woken when the commit holding io ends, or the group completes
                        LockSupport.park(this);
                    }
                } else {
                    // the commit under way (or the syncer) covers this record and wakes everyone
                    LockSupport.park(this);
                }
                passOnRelease();
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            durableWaiters.remove(me);
            passOnRelease();
            if (appendersCommit && durableId < id && deadline != Long.MAX_VALUE) {
                // leaving early (interrupted): the writer commits the group in its place
                wakeWriter();
            }
        }
    }

    private void wakeWriter() {
        lock.lock();
        try {
            writerWake.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * How long the first appender of a group waits for the rest: as long as the last fsync took, at
     * most 1 ms. Sixteen producers released together take about that long on two cores to append
     * again; waiting half as long split their groups in two.
     */
    private long gatherNanos() {
        return Math.min(lastSyncDurationNanos, TimeUnit.MILLISECONDS.toNanos(1));
    }

    private boolean groupComplete() {
        lock.lock();
        try {
            return filling.records() >= groupSize;
        } finally {
            lock.unlock();
        }
    }

    /** Commits what is buffered, with {@code io} held; if nothing is, what was is already durable. */
    private void commitWaiting() {
        AppendBuffer group = null;
        boolean held = true;
        lock.lock();
        try {
            if (!filling.isEmpty()) {
                group = takeFillingUnlessFailed();
                held = group != null;
            }
        } finally {
            lock.unlock();
        }
        if (group != null) {
            commit(group);
        } else if (held) {
            io.unlock();
            // whoever found io held meanwhile waits for this release
            releaseDurableWaiters();
        }
    }

    /**
     * Wakes every waiter, in a tree: this thread wakes two, and each woken waiter wakes two more
     * before it looks at anything else. Waking sixteen parked threads one after the other from the
     * thread that fsynced took longer than the fsync itself on two virtual cores (each wake-up of a
     * thread on an idle core is an interrupt to that core); the tree spreads the wake-ups over the
     * cores and reaches the last waiter after four steps instead of fifteen.
     */
    private void releaseDurableWaiters() {
        releases.incrementAndGet();
        passOnRelease();
    }

    /** Wakes up to two waiters that the latest release has not woken yet. */
    private void passOnRelease() {
        long release = releases.get();
        int woken = 0;
        for (Waiter w : durableWaiters) {
            long seen = w.wokenBy().get();
            if (seen < release && w.wokenBy().compareAndSet(seen, release)) {
                LockSupport.unpark(w.thread());
                if (++woken == 2) {
                    return;
                }
            }
        }
    }

    /** Wakes every waiter at once, from this thread: when the log fails, none may be missed. */
    private void wakeAllWaiters() {
        releases.incrementAndGet();
        for (Waiter w : durableWaiters) {
            LockSupport.unpark(w.thread());
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
        if (appendersCommit) {
            // the writer fsyncs whatever it writes; wake it for records no appender commits
            wakeWriter();
        } else {
            wakeSyncer();
        }
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
            boolean done = false;
            while (!done) {
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
                } finally {
                    lock.unlock();
                }
                done = writeBuffered();
            }
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
        } catch (InterruptedException e) {
            fail(new WalException("the log's writer thread was interrupted"));
        }
    }

    /**
     * Writes what is buffered, unless an appender committing its group took it first; in durable
     * mode fsyncs it too. When closing and nothing is left, fsyncs and closes the segments and
     * returns true.
     */
    private boolean writeBuffered() throws IOException {
        io.lock();
        AppendBuffer buffer = null;
        try {
            boolean last;
            lock.lock();
            try {
                if (failure != null) {
                    return true;
                }
                if (!filling.isEmpty()) {
                    buffer = takeFilling();
                }
                last = buffer == null && closing;
            } finally {
                lock.unlock();
            }
            if (buffer != null) {
                List<Written> written = writeOut(buffer);
                if (appendersCommit) {
                    sync(written);
                } else {
                    for (Written w : written) {
                        hand(w, false);
                    }
                }
            } else if (last) {
                // the active segment is fsynced and closed last
                Written active = new Written(activeOutput, writtenId, true, false);
                if (appendersCommit) {
                    sync(List.of(active));
                    closeChannels();
                } else {
                    hand(active, true);
                }
            }
            return last;
        } catch (IOException | RuntimeException | Error e) {
            fail(e); // before io is released: no one may fsync after this failed write or fsync
            throw e;
        } finally {
            if (buffer != null) {
                giveBack(buffer);
            }
            io.unlock();
            if (appendersCommit) {
                releaseDurableWaiters();
            }
        }
    }

    /**
     * Writes a buffer to the active segment, rolling to new segments where it is marked; returns
     * the ranges written, for fsyncing. Called with {@code io} held.
     */
    private List<Written> writeOut(AppendBuffer buffer) throws IOException {
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
            written.add(new Written(activeOutput, roll.firstId() - 1, true, false));
            roll(roll.firstId());
            written.add(new Written(activeOutput, roll.firstId() - 1, false, true));
            from = roll.position();
            id = roll.firstId();
        }
        writeFully(buffer.slice(from, buffer.length()));
        activeRecords += recordsLeft;
        active.written(buffer.lastId(), activeRecords, activeSize);
        written.add(new Written(activeOutput, buffer.lastId(), false, false));
        writtenId = buffer.lastId();
        lag.written(buffer.lastId(), System.nanoTime());
        return written;
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
            if (last || syncWanted > durableId || sealedWaiting > MAX_SEALED_WAITING) {
                syncWake.signal();
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            activeSize += activeOutput.write(b);
        }
    }

    private void roll(long firstId) throws IOException {
        active.seal();
        Path path = dir.resolve(SegmentFormat.fileName(firstId));
        SegmentOutput ch = SegmentOutput.create(path);
        ByteBuffer header = SegmentFormat.header(logId, firstId);
        while (header.hasRemaining()) {
            ch.write(header);
        }
        activeOutput = ch;
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
        return syncWanted > durableId || sealedWaiting > MAX_SEALED_WAITING
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
        if (failure != null) {
            // after a failed fsync a later one may succeed without the lost pages: never count it
            throw failed();
        }
        long start = System.nanoTime();
        long target = durableId;
        boolean newFile = false;
        Set<SegmentOutput> outputs = new LinkedHashSet<>();
        List<SegmentOutput> sealed = new ArrayList<>();
        for (Written w : batch) {
            outputs.add(w.output());
            open.add(w.output());
            target = Math.max(target, w.lastId());
            newFile |= w.newFile();
            if (w.sealed()) {
                sealed.add(w.output());
            }
        }
        for (SegmentOutput ch : outputs) {
            ch.sync();
        }
        if (newFile) {
            CheckpointFile.syncDirectory(dir);
        }
        for (SegmentOutput ch : sealed) {
            ch.close();
            open.remove(ch);
        }
        if (target > durableId) {
            counters.fsyncs.incrementAndGet();
            counters.syncedRecords.addAndGet(target - durableId);
            lastSyncDurationNanos = System.nanoTime() - start;
            durableId = target;
            if (!appendersCommit) {
                releaseDurableWaiters();
            }
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
        wakeAllWaiters();
    }

    private void closeChannels() {
        for (SegmentOutput ch : open) {
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
            activeOutput.close();
        } catch (IOException ignored) {
            // never written
        }
        closeChannels();
    }
}
