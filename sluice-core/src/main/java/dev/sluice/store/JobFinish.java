package dev.sluice.store;

/**
 * The end of one attempt, written only if the writer still holds the job's lease.
 *
 * @param id the job
 * @param state {@code completed}, {@code retryable} or {@code discarded}; a job whose
 *              cancellation was requested ends {@code cancelled} whatever this says
 * @param retryDelayMillis for {@code retryable}: delay from the database clock's now
 * @param result JSON result text or null
 * @param errors the full error history as JSON array text, or null to keep the stored one
 * @param stream the job's stream, or null; a final state lets the next job of the stream go
 */
public record JobFinish(long id, String state, long retryDelayMillis, String result, String errors, String stream) {

    /** The end of an attempt of a job outside any stream. */
    public JobFinish(long id, String state, long retryDelayMillis, String result, String errors) {
        this(id, state, retryDelayMillis, result, errors, null);
    }
}
