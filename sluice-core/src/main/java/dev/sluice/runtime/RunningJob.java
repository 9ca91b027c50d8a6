package dev.sluice.runtime;

import dev.sluice.job.Job;
import dev.sluice.job.JobContext;
import dev.sluice.store.JobStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One attempt in progress on this node, and the context its handler sees. The first reason to
 * stop wins (cancelled, timed out, handed back at shutdown) and decides how the attempt ends.
 * Thread-safe.
 */
final class RunningJob implements JobContext {

    /** Why an attempt was asked to stop. */
    enum StopReason {
        CANCELLED, TIMED_OUT, HANDED_BACK,
        /** The database no longer gives this node the job's lease: another node has it, or will. */
        LEASE_LOST,
        /** Not a stop: the attempt ended first, so a later stop changes nothing. */
        FINISHED
    }

    private final Job job;
    private final Duration timeout;
    private final Consumer<JobStore.Progress> progressSink;
    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    private volatile Thread thread;

    RunningJob(Job job, Duration timeout, Consumer<JobStore.Progress> progressSink) {
        this.job = job;
        this.timeout = timeout;
        this.progressSink = progressSink;
    }

    Job job() {
        return job;
    }

    void bindThread(Thread t) {
        this.thread = t;
    }

    /** Asks the handler to stop; returns false when another reason came first. */
    boolean stop(StopReason reason) {
        if (!stop.compareAndSet(null, reason)) {
            return false;
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        return true;
    }

    /** Marks the attempt ended; false when a stop reason came first. */
    boolean markFinished() {
        return stop.compareAndSet(null, StopReason.FINISHED);
    }

    StopReason stopReason() {
        return stop.get();
    }

    @Override
    public long jobId() {
        return job.id();
    }

    @Override
    public String kind() {
        return job.kind();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void progress(double fraction, String message) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("progress fraction must be in [0, 1], got " + fraction);
        }
        progressSink.accept(new JobStore.Progress(job.id(), job.attempt(), fraction, message));
    }

    @Override
    public boolean isCancelled() {
        StopReason reason = stop.get();
        return reason != null && reason != StopReason.FINISHED;
    }
}
