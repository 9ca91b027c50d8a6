package dev.sluice.store;

/**
 * The end of one attempt, written only if the writer still holds the job's lease for that very
 * attempt. The attempt is part of the fence because the owner alone is not enough: a node cut off
 * from the database can have its job rescued and then claim that job again itself, and the end
 * of its stale first attempt must not be written over the second.
 *
 * @param id the job
 * @param attempt the attempt that ended, as claimed ({@code Job.attempt()})
 * @param state {@code completed}, {@code retryable} or {@code discarded}; a job whose
 *              cancellation was requested ends {@code cancelled} whatever this says
 * @param retryDelayMillis for {@code retryable}: delay from the database clock's now
 * @param result JSON result text or null
 * @param errors the full error history as JSON array text, or null to keep the stored one
 * @param stream the job's stream, or null; a final state lets the next job of the stream go
 */
public record JobFinish(long id, int attempt, String state, long retryDelayMillis, String result, String errors,
                        String stream) {

    /** The end of an attempt of a job outside any stream. */
    public JobFinish(long id, int attempt, String state, long retryDelayMillis, String result, String errors) {
        this(id, attempt, state, retryDelayMillis, result, errors, null);
    }
}
