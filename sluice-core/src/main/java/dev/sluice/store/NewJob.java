package dev.sluice.store;

/**
 * A validated job ready to insert.
 *
 * @param kind the handler's name
 * @param queue the queue
 * @param state {@code available} or {@code scheduled}
 * @param priority higher runs first
 * @param payload JSON text
 * @param tags JSON array text
 * @param maxAttempts attempts allowed
 * @param runAtMillis absolute run time in epoch milliseconds, or null to use the delay
 * @param delayMillis delay from the database clock's now when runAtMillis is null
 * @param key the job key, or null
 * @param keepExisting with a key: drop this job when one of its key is waiting (else supersede those)
 * @param stream the stream (or concurrency group), or null
 * @param streamLimit how many jobs of the stream may be active at once
 */
public record NewJob(String kind, String queue, String state, int priority, String payload, String tags,
                     int maxAttempts, Long runAtMillis, long delayMillis, String key, boolean keepExisting,
                     String stream, int streamLimit) {

    /** A job without key or stream. */
    public NewJob(String kind, String queue, String state, int priority, String payload, String tags,
                  int maxAttempts, Long runAtMillis, long delayMillis) {
        this(kind, queue, state, priority, payload, tags, maxAttempts, runAtMillis, delayMillis, null, false, null, 1);
    }

    /** This job with another initial state (a stream job waits as {@code blocked} while its stream is full). */
    public NewJob withState(String newState) {
        return new NewJob(kind, queue, newState, priority, payload, tags, maxAttempts, runAtMillis, delayMillis, key,
                keepExisting, stream, streamLimit);
    }

    /** True when inserting needs the key or stream gate (a lock and a look at other jobs). */
    public boolean gated() {
        return key != null || stream != null;
    }
}
