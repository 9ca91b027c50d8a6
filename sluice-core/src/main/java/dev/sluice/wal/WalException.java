package dev.sluice.wal;

/** The write-ahead log could not do what was asked; the message says what and why. */
public class WalException extends RuntimeException {
    public WalException(String message) {
        super(message);
    }

    public WalException(String message, Throwable cause) {
        super(message, cause);
    }
}
