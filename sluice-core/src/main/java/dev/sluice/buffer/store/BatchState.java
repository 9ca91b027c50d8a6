package dev.sluice.buffer.store;

import java.util.Locale;

/** Where a stored batch stands. Its name in the database is the lower-case constant name. Immutable. */
public enum BatchState {
    /** Waiting to be taken once its due time has come. */
    READY,
    /** Taken by a worker, whose lease ends at the batch's due time. */
    TAKEN,
    /**
     * Every attempt failed. Kept, with its priority, its last error and its items, until it is
     * retried or deleted by hand; taken again by itself only after a cool-down, when the retry
     * policy has one.
     */
    FAILED;

    /** The value of the {@code state} column. */
    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads a {@code state} column value. */
    public static BatchState fromDb(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
