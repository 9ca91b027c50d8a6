package dev.sluice.schedule;

/**
 * What a schedule does at each occurrence: enqueue a job of a kind with a fixed payload
 * ({@link #enqueue(String, Object)}), or run a handler of its own ({@link #handler(ScheduleHandler)}).
 * Immutable.
 */
public sealed interface ScheduledJob permits ScheduledJob.Enqueue, ScheduledJob.Handler {

    /**
     * Enqueues a job of {@code kind} with {@code payload} at each occurrence; some node needs a
     * handler for {@code kind}. The payload is encoded once, when the node is built.
     */
    static ScheduledJob enqueue(String kind, Object payload) {
        return new Enqueue(kind, payload);
    }

    /**
     * Runs {@code handler} at each occurrence, as a job of kind {@code schedule:<name>} that this
     * node registers a handler for; its payload is a {@link ScheduledRun}.
     */
    static ScheduledJob handler(ScheduleHandler handler) {
        return new Handler(handler);
    }

    /**
     * Enqueue a job of a kind.
     *
     * @param kind the job's kind
     * @param payload the job's payload, anything Jackson can write
     */
    record Enqueue(String kind, Object payload) implements ScheduledJob {
        public Enqueue {
            if (kind == null || kind.isBlank()) {
                throw new InvalidScheduleException("enqueue: kind must not be blank");
            }
        }
    }

    /**
     * Run a handler of the schedule's own kind.
     *
     * @param handler the code
     */
    record Handler(ScheduleHandler handler) implements ScheduledJob {
        public Handler {
            if (handler == null) {
                throw new InvalidScheduleException("handler must not be null");
            }
        }
    }
}
