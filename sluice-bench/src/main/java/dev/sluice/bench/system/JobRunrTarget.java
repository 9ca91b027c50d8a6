package dev.sluice.bench.system;

/**
 * The object JobRunr's jobs call. Public with a public method, because JobRunr finds it by
 * reflection from the recorded lambda; the {@link JobRunrSystem}'s activator hands out the one
 * instance that holds the run's {@link Probe}. Thread-safe.
 */
public final class JobRunrTarget {
    private final Probe probe;

    JobRunrTarget(Probe probe) {
        this.probe = probe;
    }

    /** The no-op job: reports its start. */
    public void run(long enqueuedNanos) {
        probe.jobStarted(enqueuedNanos);
    }
}
