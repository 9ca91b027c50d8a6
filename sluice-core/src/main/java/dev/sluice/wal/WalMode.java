package dev.sluice.wal;

/** When an append returns. */
public enum WalMode {
    /** After the record's fsync; one fsync covers every record appended since the previous one. */
    DURABLE,
    /**
     * After the record is written to an in-process buffer (written to the OS at once, fsynced every
     * flush interval): a crash of the machine may lose the last interval, a crash of the process
     * may lose what was still in the buffer.
     */
    RELAXED
}
