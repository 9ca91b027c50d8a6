package dev.sluice.job;

import java.time.Duration;

/**
 * What a running handler can know and say about its attempt. Thread-safe.
 */
public interface JobContext {

    /** The job's id. */
    long jobId();

    /** The job's kind. */
    String kind();

    /** This attempt's number, 1 for the first run. */
    int attempt();

    /** Attempts allowed in all. */
    int maxAttempts();

    /** The time this attempt may take before it is interrupted and counted as a retry. */
    Duration timeout();

    /**
     * Reports progress; the latest report is saved within about a second and shown by the API.
     *
     * @param fraction done so far, in [0, 1]
     * @param message a short human message, or null
     */
    void progress(double fraction, String message);

    /**
     * True once the job was cancelled, the attempt timed out or the node is shutting down past its
     * grace period. Long handlers should check it and return; the thread is also interrupted.
     */
    boolean isCancelled();
}
