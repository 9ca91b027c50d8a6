package dev.sluice.runtime;

import dev.sluice.ErrorListener;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import dev.sluice.store.JobStore;
import dev.sluice.wal.WalException;
import dev.sluice.wal.WalJournal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the ends of attempts in batches: the first completion waits at most
 * {@code maxDelay} for others to join it, and one statement writes up to {@code batchSize}.
 * {@code writers} threads write batches side by side, so that one batch's commit (a disk flush on
 * the database) does not hold back the next; each batch is written in job id order, the order in
 * which lease renewals lock rows too, so that concurrent writes queue instead of deadlocking.
 *
 * <p>At-least-once: a job is done when its completion is written, not when its handler returns.
 * If the node dies in between (at most {@code maxDelay} plus one write), the job's lease expires,
 * another node rescues it and it runs again. A failed write is retried with back-off while the
 * job's lease keeps being renewed, so a database outage does not make jobs run twice.
 *
 * <p>Every write is fenced on this node's lease: a completion for a job another node has since
 * rescued is logged and dropped, never written over the newer state.
 *
 * <p>With the write-ahead log enabled ({@code journal} not null), a completion is instead appended
 * to the log durably, on the handler's thread, before {@link #submit} returns: from then on it
 * survives a crash. The log's flusher writes it in batches, fenced on this node and the attempt,
 * and hands the outcome back to {@link #flushed} for the metrics. After a crash, recovery replays
 * it at the next start: the job is not run again unless its lease expired and another node took
 * it meanwhile. Thread-safe.
 */
final class CompletionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(CompletionWriter.class);

    /** A completion with what the metrics (and the write-ahead log's fence) need. */
    record Pending(JobFinish finish, String queue, String kind, int attempt) {
    }

    private final JobStore store;
    private final String owner;
    private final int batchSize;
    private final int writers;
    private final Duration maxDelay;
    private final SluiceMetrics metrics;
    private final ErrorListener errors;
    private final Runnable onStreamRelease;
    private final java.util.function.Supplier<dev.sluice.store.StreamClaim> streamClaims;
    private final java.util.function.Consumer<List<dev.sluice.job.Job>> handoff;
    private final WalJournal journal;
    private final KnownLeases leases;
    private volatile long lastLogged = -1;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger unwritten = new AtomicInteger();
    private final Object drained = new Object();
    private volatile boolean running;
    private volatile boolean abandon;
    private final List<Thread> threads = new ArrayList<>();

    CompletionWriter(JobStore store, String owner, int batchSize, int writers, Duration maxDelay,
                     SluiceMetrics metrics, ErrorListener errors, WalJournal journal, KnownLeases leases,
                     Runnable onStreamRelease,
                     java.util.function.Supplier<dev.sluice.store.StreamClaim> streamClaims,
                     java.util.function.Consumer<List<dev.sluice.job.Job>> handoff) {
        this.onStreamRelease = onStreamRelease;
        this.streamClaims = streamClaims;
        this.handoff = handoff;
        this.store = store;
        this.owner = owner;
        this.batchSize = batchSize;
        this.writers = writers;
        this.maxDelay = maxDelay;
        this.metrics = metrics;
        this.errors = errors;
        this.journal = journal;
        this.leases = leases;
    }

    synchronized void start() {
        running = true;
        for (int i = 0; i < writers; i++) {
            threads.add(Thread.ofPlatform().daemon().name("sluice-completer-" + i).start(this::loop));
        }
    }

    void submit(Pending pending) {
        // A stream job's end must let the next job of its stream go in the same transaction, which
        // the direct writer does; through the log it would wait for the leader's stream repair.
        if (journal != null && pending.finish().stream() == null) {
            try {
                long entry = journal.appendCompletion(owner, pending.attempt(), pending.finish(), pending.queue(),
                        pending.kind());
                lastLogged = Math.max(lastLogged, entry);
                return;
            } catch (WalException e) {
                // The log is broken or its backlog is full: write this one directly, as without it.
                LOG.warn("could not log the completion of job {} ({}); writing it directly", pending.finish().id(),
                        e.getMessage());
            }
        }
        unwritten.incrementAndGet();
        queue.add(pending);
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(batchSize);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + maxDelay.toNanos();
                while (batch.size() < batchSize) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                writeWithRetry(batch);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } finally {
                if (!batch.isEmpty()) {
                    done(batch.size());
                    batch.clear();
                }
            }
        }
    }

    private void writeWithRetry(List<Pending> batch) throws InterruptedException {
        long backoffMillis = 50;
        while (true) {
            try {
                write(batch);
                return;
            } catch (RuntimeException e) {
                LOG.warn("writing {} completion(s) failed, retrying in {} ms: {}", batch.size(), backoffMillis, e.getMessage());
                errors.onError("completer", e);
                if (abandon) {
                    LOG.warn("giving up {} completion(s) at shutdown; their jobs will be rescued and run again",
                            batch.size());
                    return;
                }
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, 5_000);
            }
        }
    }

    private void write(List<Pending> submitted) {
        submitted.sort(java.util.Comparator.comparingLong(p -> p.finish().id()));
        List<Pending> batch = firstOfEachAttempt(submitted);
        List<JobFinish> finishes = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            finishes.add(p.finish());
        }
        boolean streams = false;
        for (JobFinish f : finishes) {
            streams |= f.stream() != null;
        }
        // The next job of a stream this node serves is claimed for it in the same transaction: it
        // runs without waiting for a fetch, in the slot its predecessor freed.
        dev.sluice.store.FinishBatch written;
        if (streams) {
            leases.claimStarting();
            try {
                written = store.jobFinishManyClaiming(owner, finishes, streamClaims.get());
                leases.claimed(written.claimed());
            } finally {
                leases.claimEnded();
            }
        } else {
            written = dev.sluice.store.FinishBatch.unclaimed(store.jobFinishMany(owner, finishes));
        }
        // Written or refused, these leases are no longer this node's to renew.
        for (JobFinish f : finishes) {
            leases.released(f.id(), f.attempt());
        }
        List<FinishResult> results = written.results();
        boolean streamMoved = false;
        for (int i = 0; i < results.size(); i++) {
            FinishResult r = results.get(i);
            Pending p = batch.get(i);
            if (r.applied()) {
                metrics.count(event(r.state()), p.queue(), p.kind());
                streamMoved |= p.finish().stream() != null && !"retryable".equals(r.state());
            } else {
                LOG.warn("job {} ({}) attempt {} finished here but its lease was lost (the job was rescued); "
                        + "result dropped", r.id(), p.kind(), p.finish().attempt());
            }
        }
        if (!written.claimed().isEmpty()) {
            try {
                handoff.accept(written.claimed());
            } catch (RuntimeException e) {
                // Claimed and committed, but no worker took them: give them back, or they would stay
                // leased to this node (and renewed) without running.
                LOG.warn("could not hand {} claimed stream job(s) to their queue; handing them back: {}",
                        written.claimed().size(), e.toString());
                for (dev.sluice.job.Job job : written.claimed()) {
                    try {
                        store.jobHandBack(job.id(), job.attempt(), owner);
                    } catch (RuntimeException again) {
                        LOG.warn("could not hand back job {}; the heartbeat hands it back", job.id());
                    } finally {
                        leases.released(job);
                    }
                }
            }
        }
        if (streamMoved && written.leftForFetch()) {
            // The write let next jobs of those streams go unclaimed: fetch them now, not after a poll.
            onStreamRelease.run();
        }
    }

    /**
     * The batch with each attempt's end once (the first submitted): an end submitted twice is
     * written and counted once, instead of being counted twice or reported as a lost lease.
     */
    private static List<Pending> firstOfEachAttempt(List<Pending> batch) {
        java.util.Set<JobAttempt> seen = new java.util.HashSet<>();
        List<Pending> out = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            if (seen.add(new JobAttempt(p.finish().id(), p.finish().attempt()))) {
                out.add(p);
            } else {
                LOG.debug("job {} attempt {}: its end was submitted twice; written once", p.finish().id(),
                        p.finish().attempt());
            }
        }
        return out;
    }

    /** The write-ahead log flushed completions this node logged (or, after a crash, an earlier run did). */
    void flushed(java.util.List<WalJournal.FlushedCompletion> completions) {
        for (WalJournal.FlushedCompletion c : completions) {
            leases.released(c.jobId(), c.attempt());
            if (c.applied()) {
                metrics.count(event(c.state()), c.queue(), c.kind());
            } else {
                LOG.warn("job {} ({}) finished here but was not completed: its lease was lost to another node, or the"
                        + " completion was applied before", c.jobId(), c.kind());
            }
        }
    }

    private static String event(String state) {
        return switch (state) {
            case "retryable" -> "retried";
            default -> state;
        };
    }

    private void done(int n) {
        if (unwritten.addAndGet(-n) == 0) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** Waits until every submitted completion is written, at most {@code bound}; true if all were. */
    boolean awaitDrained(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        if (journal != null && lastLogged >= 0 && !journal.awaitFlushed(lastLogged, bound)) {
            return false; // logged durably all the same: the next start replays them
        }
        synchronized (drained) {
            while (unwritten.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                drained.wait(left);
            }
        }
        return true;
    }

    /** Writes what is queued (giving up after {@code bound} if the database is down) and stops. */
    void stop(Duration bound) throws InterruptedException {
        if (!awaitDrained(bound)) {
            abandon = true;
        }
        List<Thread> started;
        synchronized (this) {
            running = false;
            started = List.copyOf(threads);
        }
        long deadline = System.nanoTime() + bound.toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (Thread t : started) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (t.isAlive()) {
                t.interrupt();
            }
        }
    }
}
