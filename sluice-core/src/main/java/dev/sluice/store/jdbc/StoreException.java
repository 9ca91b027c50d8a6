package dev.sluice.store.jdbc;

/** A database error, naming the statement that failed. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
