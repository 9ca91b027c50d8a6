package dev.sluice.store;

/**
 * What became of one {@link JobFinish}.
 *
 * @param id the job
 * @param applied false when the lease was lost (the job was rescued, and perhaps claimed again): nothing was written
 * @param state the state written, when applied
 */
public record FinishResult(long id, boolean applied, String state) {
}
