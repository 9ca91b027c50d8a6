package dev.sluice.buffer;

/**
 * Thrown by a {@link BufferedQueue} that is closed, or closing, when it cannot take the call. Its
 * message starts with "queue is closed".
 */
public final class QueueClosedException extends IllegalStateException {
    public QueueClosedException(String queue) {
        super("queue is closed: " + queue);
    }
}
