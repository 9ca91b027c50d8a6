package dev.sluice.wal;

/**
 * An append waited for the backlog of entries not yet flushed to the database to shrink below its
 * bound, and it did not in time. Nothing was written: the caller still owns the entry.
 */
public class WalBackpressureException extends WalException {
    public WalBackpressureException(String message) {
        super(message);
    }
}
