package dev.sluice.wal;

import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NewJob;
import dev.sluice.store.WalApplied;
import dev.sluice.store.WalBatch;
import dev.sluice.store.WalEntry;
import dev.sluice.store.WalFinish;
import dev.sluice.store.WalFlush;
import dev.sluice.store.WalStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sluice's use of the write-ahead log: three kinds of record and the sink that applies them.
 * <ul>
 *   <li>buffered enqueues: validated jobs, inserted into {@code sluice_job} when flushed;</li>
 *   <li>activity logs, inserted into {@code sluice_activity};</li>
 *   <li>job completions, always appended durably (whatever the mode) and applied fenced on the
 *       owner and attempt that logged them, so that a completion logged just before a crash is
 *       replayed at the next start and its job does not run again, unless another node took it.</li>
 * </ul>
 * Public for {@code dev.sluice.Sluice} and the runtime; not API. Thread-safe.
 */
public final class WalJournal implements AutoCloseable {

    /** Hears what a flush applied, to count it and to wake local fetchers. */
    public interface Listener {
        /** Buffered jobs were inserted (not called for replays the database already had). */
        void jobsInserted(List<NewJob> jobs);

        /** Completions were flushed: applied, or refused (lease lost, or applied before). */
        void completionsFlushed(List<FlushedCompletion> completions);
    }

    /**
     * A flushed completion.
     *
     * @param jobId the job
     * @param attempt the attempt that ended
     * @param applied false when nothing was written: the lease was lost, or it was applied before
     * @param state the state written, when applied
     * @param queue the job's queue
     * @param kind the job's kind
     */
    public record FlushedCompletion(long jobId, int attempt, boolean applied, String state, String queue, String kind) {
    }

    private final WriteAheadLog log;
    private volatile Listener listener;

    private WalJournal(WalConfig config, WalStore store, MeterRegistry registry, Consumer<Throwable> flushErrors) {
        this.log = WriteAheadLog.open(config, new Sink(store), registry, flushErrors);
    }

    /** Opens (and recovers) the log, applying its records to {@code store}. */
    public static WalJournal open(WalConfig config, WalStore store, MeterRegistry registry) {
        return new WalJournal(config, store, registry, e -> { });
    }

    /** Opens the log; {@code flushErrors} hears of every failed flush attempt (it must not block). */
    public static WalJournal open(WalConfig config, WalStore store, MeterRegistry registry,
                                  Consumer<Throwable> flushErrors) {
        return new WalJournal(config, store, registry, flushErrors);
    }

    /** The record type of activity logs. */
    public static final int TYPE_ACTIVITY = WalCodec.TYPE_ACTIVITY;

    /**
     * The payload of an activity log record, for tools that append to a {@link WriteAheadLog}
     * directly (the benchmark); a journal opened on that directory applies it like its own.
     */
    public static byte[] activityPayload(NewActivity activity) {
        return WalCodec.activity(activity);
    }

    /** Receives what later flushes apply; flushes before this (recovery at open) are not reported. */
    public void listen(Listener listener) {
        this.listener = listener;
    }

    public WriteAheadLog log() {
        return log;
    }

    /** Appends a validated job in the configured mode; returns the entry id. */
    public long appendJob(NewJob job) {
        return log.append(WalCodec.TYPE_JOB, WalCodec.job(job));
    }

    /** Appends an activity log entry in the configured mode; returns the entry id. */
    public long appendActivity(NewActivity activity) {
        return log.append(WalCodec.TYPE_ACTIVITY, WalCodec.activity(activity));
    }

    /** Appends a job completion and returns after its fsync, whatever the mode; returns the entry id. */
    public long appendCompletion(String owner, int attempt, JobFinish finish, String queue, String kind) {
        return log.append(WalCodec.TYPE_COMPLETION,
                WalCodec.completion(new WalCodec.Completion(owner, attempt, finish, queue, kind)), true);
    }

    public boolean awaitFlushed(long entryId, Duration timeout) {
        return log.awaitFlushed(entryId, timeout);
    }

    public void close(Duration bound) {
        log.close(bound);
    }

    @Override
    public void close() {
        log.close();
    }

    /** Turns the batches of a flush transaction into one store call and reports what it did. */
    private final class Sink implements WalSink {
        private final WalStore store;
        private long opened; // guarded by this; 0 until the first flush

        Sink(WalStore store) {
            this.store = store;
        }

        @Override
        public int apply(long logId, List<List<WalRecord>> records) {
            List<WalBatch> batches = new ArrayList<>(records.size());
            List<WalEntry<NewJob>> jobs = new ArrayList<>();
            List<WalEntry<WalFinish>> finishes = new ArrayList<>();
            List<WalCodec.Completion> completions = new ArrayList<>();
            for (List<WalRecord> batch : records) {
                WalBatch b = decode(batch, completions);
                jobs.addAll(b.jobs());
                finishes.addAll(b.finishes());
                batches.add(b);
            }
            WalApplied applied = store.walApply(new WalFlush(logId, opened(logId), batches));
            report(jobs, applied, finishes, completions);
            return applied.count();
        }

        /**
         * The opening of the log this process holds, taken at the first flush (not at open, so
         * that a log opens while the database is down); a failure is retried with the flush.
         */
        private long opened(long logId) {
            synchronized (this) {
                if (opened == 0) {
                    opened = store.walOpen(logId);
                }
                return opened;
            }
        }

        private static WalBatch decode(List<WalRecord> records, List<WalCodec.Completion> completions) {
            List<WalEntry<NewJob>> jobs = new ArrayList<>();
            List<WalEntry<NewActivity>> activities = new ArrayList<>();
            List<WalEntry<WalFinish>> finishes = new ArrayList<>();
            for (WalRecord r : records) {
                switch (r.type()) {
                    case WalCodec.TYPE_JOB -> jobs.add(new WalEntry<>(r.entryId(), WalCodec.job(r.payload())));
                    case WalCodec.TYPE_ACTIVITY ->
                            activities.add(new WalEntry<>(r.entryId(), WalCodec.activity(r.payload())));
                    case WalCodec.TYPE_COMPLETION -> {
                        WalCodec.Completion c = WalCodec.completion(r.payload());
                        completions.add(c);
                        finishes.add(new WalEntry<>(r.entryId(), new WalFinish(c.owner(), c.attempt(), c.finish())));
                    }
                    // Never skipped silently: the batch stays on disk and the error is reported
                    // until a Sluice that knows the type reads it.
                    default -> throw new IllegalStateException("entry " + r.entryId() + " has record type " + r.type()
                            + ", which this version of Sluice cannot apply");
                }
            }
            return new WalBatch(jobs, activities, finishes);
        }

        private void report(List<WalEntry<NewJob>> jobs, WalApplied applied, List<WalEntry<WalFinish>> finishes,
                            List<WalCodec.Completion> completions) {
            Listener l = listener;
            if (l == null) {
                return;
            }
            if (!applied.jobEntries().isEmpty()) {
                Set<Long> inserted = new HashSet<>(applied.jobEntries());
                List<NewJob> now = new ArrayList<>();
                for (WalEntry<NewJob> e : jobs) {
                    if (inserted.contains(e.entryId())) {
                        now.add(e.value());
                    }
                }
                l.jobsInserted(now);
            }
            if (!finishes.isEmpty()) {
                List<FlushedCompletion> out = new ArrayList<>(finishes.size());
                for (int i = 0; i < finishes.size(); i++) {
                    String state = applied.finishStates().get(finishes.get(i).entryId());
                    WalCodec.Completion c = completions.get(i);
                    out.add(new FlushedCompletion(c.finish().id(), c.attempt(), state != null, state, c.queue(),
                            c.kind()));
                }
                l.completionsFlushed(out);
            }
        }

        @Override
        public void forget(long logId, long throughEntryId) {
            store.walPrune(logId, throughEntryId);
        }
    }
}
