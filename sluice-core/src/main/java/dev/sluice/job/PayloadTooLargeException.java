package dev.sluice.job;

/** A payload whose JSON is larger than the configured limit; the job was not enqueued. */
public class PayloadTooLargeException extends InvalidJobException {
    private final long size;
    private final long limit;

    public PayloadTooLargeException(long size, long limit) {
        super("payload", "payload is " + size + " bytes, over the limit of " + limit + " bytes");
        this.size = size;
        this.limit = limit;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
