package dev.sluice.job;

/** What a cancellation did. */
public enum CancelResult {
    /** The job was waiting and is now cancelled; it will never run. */
    CANCELLED,
    /** The job is running; its handler was signalled and the job will end cancelled. */
    REQUESTED,
    /** The job had already finished, or does not exist. */
    NOT_CANCELLABLE
}
