package dev.sluice.schedule;

/**
 * How a schedule's jobs are enqueued and what it does after downtime. Immutable; each
 * {@code with…} method returns a copy.
 *
 * <pre>{@code
 * ScheduleOptions.defaults().catchUp(CatchUp.runMissed(3)).queue("reports").priority(5).maxAttempts(3)
 * }</pre>
 *
 * @param catchUp what happens to occurrences missed while no node ran the schedule
 * @param queue the queue its jobs go to; null for {@code default}
 * @param priority its jobs' priority; higher runs first
 * @param maxAttempts its jobs' attempts, or null for the kind's default
 */
public record ScheduleOptions(CatchUp catchUp, String queue, int priority, Integer maxAttempts) {

    public ScheduleOptions {
        if (catchUp == null) {
            throw new InvalidScheduleException("catchUp must not be null; use CatchUp.skipMissed()");
        }
        if (queue != null && queue.isBlank()) {
            throw new InvalidScheduleException("queue must not be blank; use null for the default queue");
        }
        if (maxAttempts != null && maxAttempts < 1) {
            throw new InvalidScheduleException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    /** Skip missed occurrences, default queue, priority 0, the kind's attempts. */
    public static ScheduleOptions defaults() {
        return new ScheduleOptions(CatchUp.skipMissed(), null, 0, null);
    }

    public ScheduleOptions catchUp(CatchUp catchUp) {
        return new ScheduleOptions(catchUp, queue, priority, maxAttempts);
    }

    public ScheduleOptions queue(String queue) {
        return new ScheduleOptions(catchUp, queue, priority, maxAttempts);
    }

    public ScheduleOptions priority(int priority) {
        return new ScheduleOptions(catchUp, queue, priority, maxAttempts);
    }

    public ScheduleOptions maxAttempts(int maxAttempts) {
        return new ScheduleOptions(catchUp, queue, priority, maxAttempts);
    }
}
