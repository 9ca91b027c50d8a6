package dev.sluice.buffer;

/** A {@link BufferedQueue} call that could not complete: interrupted, or items that could not be stored. */
public final class BufferedQueueException extends RuntimeException {
    public BufferedQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
