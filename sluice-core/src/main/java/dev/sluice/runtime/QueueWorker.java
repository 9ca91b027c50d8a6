package dev.sluice.runtime;

import dev.sluice.ErrorListener;
import dev.sluice.job.Job;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.store.JobStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches and runs the jobs of one queue on this node. One platform thread fetches: it claims as
 * many due jobs as there are free slots plus the prefetch allowance (at most a batch) in one round
 * trip, then starts each on its own virtual thread; prefetched jobs wait in a local buffer for a
 * slot and are handed back at stop if they never started. It fetches again at once when a fetch
 * came back full, when a slot frees up after it ran out of slots (with prefetch: once half a batch
 * has room), when a job is enqueued (locally or, on PostgreSQL, by NOTIFY from any node), when the
 * next delayed job falls due, and otherwise after a pause that grows from pollMin to pollMax while
 * the queue stays empty. A thread that finishes a job starts the next prefetched one itself. No
 * database connection is held while a handler runs. Thread-safe.
 */
final class QueueWorker {
    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);

    private final String queue;
    private final int concurrency;
    private final NodeContext node;
    private final List<String> kinds;
    private final QueueFetcher fetcher;
    private final Semaphore slots;
    private final WakeSignal wake = new WakeSignal();
    private final ExecutorService executor;
    private volatile boolean running;
    private volatile boolean waitingForSlots;
    /** Claimed jobs waiting for a slot (only with prefetch): filled by the fetcher, taken by any. */
    private final ConcurrentLinkedQueue<Job> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final int prefetch;
    /** With prefetch, claim again only once a good part of the buffer has room, not one slot at a time. */
    private final int refill;
    private Thread fetchThread;

    QueueWorker(String queue, int concurrency, NodeContext node) {
        this.queue = queue;
        this.concurrency = concurrency;
        this.node = node;
        this.kinds = List.copyOf(node.handlers().keySet());
        this.fetcher = new QueueFetcher(queue, kinds, node.config().rateLimits());
        this.slots = new Semaphore(concurrency);
        this.prefetch = node.config().prefetch();
        this.refill = prefetch == 0 ? 1 : Math.max(1, Math.min(node.config().fetchBatchSize(), prefetch) / 2);
        this.executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("sluice-job-" + queue + "-", 0).factory());
    }

    String queue() {
        return queue;
    }

    synchronized void start() {
        running = true;
        fetchThread = Thread.ofPlatform().daemon().name("sluice-fetch-" + queue).start(this::fetchLoop);
    }

    /** The kinds whose next stream jobs this queue may take straight from a completion; none once stopping. */
    List<String> claimableKinds() {
        return running ? fetcher.unlimitedKinds() : List.of();
    }

    /**
     * Takes jobs claimed for this queue outside the fetch: the next jobs of streams, claimed in the
     * transaction that ended their predecessors. They wait with the prefetched jobs for a slot (the
     * semaphore keeps the queue's concurrency). Once the queue stops, they go back at once.
     */
    void accept(List<Job> jobs) {
        boolean taken;
        synchronized (this) {
            taken = running;
            if (taken) {
                pending.addAll(jobs);
                pendingCount.addAndGet(jobs.size());
            }
        }
        if (!taken) {
            jobs.forEach(this::handBack);
            return;
        }
        launchPending();
    }

    /** Wakes the fetcher: jobs may be waiting. */
    void wake() {
        wake.signal();
    }

    private void fetchLoop() {
        Duration pollMin = node.config().pollMin();
        Duration pollMax = node.config().pollMax();
        long backoff = pollMin.toNanos();
        try {
            while (running) {
                try {
                    launchPending();
                    if (!roomToFetch()) {
                        waitingForSlots = true;
                        if (!roomToFetch()) {
                            wake.await(pollMax.toNanos());
                        }
                        waitingForSlots = false;
                        continue;
                    }
                    int limit = Math.min(slots.availablePermits() + prefetch - pendingCount.get(),
                            node.config().fetchBatchSize());
                    List<Job> jobs;
                    try {
                        jobs = claim(limit);
                    } catch (RuntimeException e) {
                        LOG.warn("fetch from queue {} failed: {}", queue, e.getMessage());
                        node.errors().onError("fetch:" + queue, e);
                        wake.await(backoff);
                        backoff = Math.min(backoff * 2, pollMax.toNanos());
                        continue;
                    }
                    pending.addAll(jobs);
                    pendingCount.addAndGet(jobs.size());
                    launchPending();
                    if (jobs.size() == limit) {
                        backoff = pollMin.toNanos();
                        continue;
                    }
                    long pause = jobs.isEmpty() ? backoff : pollMin.toNanos();
                    backoff = jobs.isEmpty() ? Math.min(backoff * 2, pollMax.toNanos()) : pollMin.toNanos();
                    // Claimed jobs still waiting for a slot must start when one frees up, not after the pause.
                    waitingForSlots = pendingCount.get() > 0;
                    wake.await(untilNextDue(pause));
                    waitingForSlots = false;
                } catch (InterruptedException e) {
                    if (!running) {
                        return;
                    }
                }
            }
        } finally {
            handBackPending();
        }
    }

    /** Claims up to {@code limit} jobs and makes their leases known to the node before anything else. */
    private List<Job> claim(int limit) {
        node.leases().claimStarting();
        try {
            List<Job> jobs = fetcher.fetch(node.store(), limit, node.nodeId(), node.config().leaseDuration().toMillis());
            node.leases().claimed(jobs);
            return jobs;
        } finally {
            node.leases().claimEnded();
        }
    }

    /** True when a fetch may claim jobs: a slot is free and nothing waits, or the buffer has refill room. */
    private boolean roomToFetch() {
        int free = slots.availablePermits();
        int waiting = pendingCount.get();
        int room = free + prefetch - waiting;
        return room > 0 && (room >= refill || (free > 0 && waiting == 0));
    }

    /** Starts claimed jobs, each on a new virtual thread, while slots are free. */
    private void launchPending() {
        while (pendingCount.get() > 0 && slots.tryAcquire()) {
            Job job = takePending();
            if (job == null) {
                slots.release();
                return;
            }
            executor.execute(() -> runFromSlot(job));
        }
    }

    private Job takePending() {
        Job job = pending.poll();
        if (job != null) {
            pendingCount.decrementAndGet();
        }
        return job;
    }

    /**
     * Runs {@code first} and then, while prefetched jobs wait, the next on the same thread and
     * slot. Handing jobs over here rather than through the fetcher spares a thread wake-up per job,
     * which is what limited short jobs. Releases the slot when nothing waits or fetching stopped.
     */
    private void runFromSlot(Job first) {
        try {
            for (Job job = first; job != null; job = running ? takePending() : null) {
                execute(job);
                if (waitingForSlots && roomToFetch()) {
                    wake.signal();
                }
            }
        } finally {
            slots.release();
            if (waitingForSlots) {
                wake.signal();
            }
        }
    }

    /** Returns prefetched jobs that never started, so that other nodes need not wait for their leases. */
    private void handBackPending() {
        for (Job job = takePending(); job != null; job = takePending()) {
            handBack(job);
        }
    }

    private void handBack(Job job) {
        try {
            node.store().jobHandBack(job.id(), job.attempt(), node.nodeId());
        } catch (RuntimeException e) {
            LOG.warn("could not hand back prefetched job {}; the heartbeat hands it back, or it is rescued when its"
                    + " lease expires: {}", job.id(), e.getMessage());
        } finally {
            node.leases().released(job);
        }
    }

    /** Shortens a pause so that the next delayed job starts on time. */
    private long untilNextDue(long pause) {
        try {
            Optional<Instant> next = node.store().jobNextRunAt(queue, kinds);
            if (next.isPresent()) {
                long until = Duration.between(Instant.now(), next.get()).toNanos();
                return Math.max(0, Math.min(pause, until));
            }
        } catch (RuntimeException e) {
            node.errors().onError("fetch:" + queue, e);
        }
        return pause;
    }

    /** Runs one job on the calling (virtual) thread; the caller holds its slot. */
    private void execute(Job job) {
        RegisteredHandler<?> handler = node.handlers().get(job.kind());
        RunningJob running = new RunningJob(job, handler.options().timeout(), node.progress()::report);
        JobAttempt attempt = new JobAttempt(job.id(), job.attempt());
        node.running().put(attempt, running);
        // Claimed again here: the attempt before it, if it still runs here, lost its lease (this
        // node was cut off and the job rescued). Stopped now rather than at the next heartbeat,
        // which would find it too, as it finds any older one.
        RunningJob previous = node.running().get(new JobAttempt(job.id(), job.attempt() - 1));
        if (previous != null) {
            previous.stop(RunningJob.StopReason.LEASE_LOST);
        }
        SluiceMetrics metrics = node.metrics();
        metrics.count("started", queue, job.kind());
        if (job.startedAt() != null) {
            metrics.wait(queue, job.kind(), Duration.between(job.runAt(), job.startedAt()));
        }
        running.bindThread(Thread.currentThread());
        ScheduledFuture<?> timeout = node.timer().schedule(() -> running.stop(RunningJob.StopReason.TIMED_OUT),
                handler.options().timeout().toMillis(), TimeUnit.MILLISECONDS);
        long start = System.nanoTime();
        try {
            AttemptEnd end = node.runner().run(running, handler);
            timeout.cancel(false);
            node.metrics().duration(queue, job.kind(), Duration.ofNanos(System.nanoTime() - start));
            boolean finishedFirst = running.markFinished();
            if (!finishedFirst && running.stopReason() == RunningJob.StopReason.HANDED_BACK) {
                return; // the shutdown path hands it back in the database
            }
            if (!finishedFirst && running.stopReason() == RunningJob.StopReason.LEASE_LOST) {
                LOG.warn("job {} ({}) attempt {} was stopped here: its lease went to another node", job.id(), job.kind(),
                        job.attempt());
                node.metrics().count("lease_lost", queue, job.kind());
                node.leases().released(job);
                return; // the fence would refuse its result anyway
            }
            if (end instanceof AttemptEnd.Finish finish) {
                node.completer().submit(new CompletionWriter.Pending(finish.finish(), queue, job.kind(), job.attempt()));
            }
        } catch (RuntimeException | Error e) {
            LOG.error("job {} ({}) crashed the runner; its lease will expire and it will be rescued", job.id(),
                    job.kind(), e);
            // Not handed back: a job that crashes the runner each time would come back for free forever.
            node.leases().abandoned(job);
            node.errors().onError("run:" + queue, e);
        } finally {
            timeout.cancel(false);
            node.running().remove(attempt, running);
        }
    }

    /** Stops fetching; running jobs go on. */
    void stopFetching(Duration bound) {
        Thread t;
        synchronized (this) {
            running = false;
            t = fetchThread;
        }
        wake.signal();
        if (t != null) {
            try {
                t.join(bound.toMillis());
                if (t.isAlive()) {
                    t.interrupt();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until no job of this queue runs, at most until {@code deadlineNanos}; true if none runs. */
    boolean awaitIdle(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        if (slots.tryAcquire(concurrency, Math.max(0, left), TimeUnit.NANOSECONDS)) {
            slots.release(concurrency);
            return true;
        }
        return false;
    }

    /** Stops the executor once nothing runs; interrupts what still does after {@code bound}. */
    void shutdown(Duration bound) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
