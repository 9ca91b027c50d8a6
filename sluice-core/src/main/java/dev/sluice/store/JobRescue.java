package dev.sluice.store;

/**
 * Moves a job whose lease expired back to waiting, or to discarded, fenced on the old owner.
 *
 * @param id the job
 * @param expiredOwner the owner whose lease expired
 * @param state {@code retryable} or {@code discarded}
 * @param retryDelayMillis delay before the next attempt
 * @param errors the new error history as JSON array text
 */
public record JobRescue(long id, String expiredOwner, String state, long retryDelayMillis, String errors) {
}
