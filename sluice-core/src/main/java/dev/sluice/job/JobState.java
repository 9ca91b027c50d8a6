package dev.sluice.job;

/**
 * The life cycle of a job.
 *
 * <pre>
 * scheduled ─(run_at reached)─▶ available ─(fetched)─▶ running ─▶ completed
 *                                   ▲                     │
 *                                   └──── retryable ◀─────┤ (retry later, attempts left)
 *                                                         ├─▶ discarded (permanent failure or attempts exhausted)
 *                                                         └─▶ cancelled
 * </pre>
 * A job that is waiting (blocked, scheduled, available or retryable) can also be cancelled
 * directly. A job of a stream is {@link #BLOCKED} until the earlier jobs of its stream are done.
 * A waiting keyed job becomes {@link #SUPERSEDED} when a newer job of its key is enqueued.
 */
public enum JobState {
    /** Waiting for its run-at time. */
    SCHEDULED,
    /** Waiting for its turn in its stream: earlier jobs of the stream are still active. */
    BLOCKED,
    /** Ready to be fetched by a node that has a handler for its kind. */
    AVAILABLE,
    /** Claimed by a node that holds its lease. */
    RUNNING,
    /** Failed an attempt and will be retried at its run-at time. */
    RETRYABLE,
    /** Finished successfully. */
    COMPLETED,
    /** Failed permanently or ran out of attempts; kept with its error history. */
    DISCARDED,
    /** Cancelled before or while running. */
    CANCELLED,
    /** Replaced by a newer job with the same key before it ran. */
    SUPERSEDED;

    /** The name stored in the database. */
    public String dbName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Parses the stored name, failing with a message that names the unknown value. */
    public static JobState fromDb(String value) {
        for (JobState s : values()) {
            if (s.dbName().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown job state '" + value + "'");
    }

    /** True for states a job never leaves on its own. */
    public boolean isFinal() {
        return this == COMPLETED || this == DISCARDED || this == CANCELLED || this == SUPERSEDED;
    }

    /** True for states in which the job waits to be fetched. */
    public boolean isWaiting() {
        return this == BLOCKED || this == SCHEDULED || this == AVAILABLE || this == RETRYABLE;
    }
}
