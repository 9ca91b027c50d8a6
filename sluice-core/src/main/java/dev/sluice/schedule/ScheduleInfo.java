package dev.sluice.schedule;

import java.time.Instant;
import java.util.List;

/**
 * A schedule as stored, as {@code Sluice.schedules()} lists it. Immutable; read again to see
 * later changes.
 *
 * @param name the schedule's name
 * @param definition when it fires, as {@link Schedule#definition()} writes it
 * @param catchUp its catch-up policy, as {@link CatchUp#describe()} writes it
 * @param kind the kind of job it enqueues
 * @param queue the queue its jobs go to
 * @param paused true while paused: nothing fires until it is resumed
 * @param nextRuns its next occurrences (up to five), the first possibly overdue; empty while paused
 * @param lastSlotAt the latest occurrence that ran, or null
 * @param lastRunAt when its latest job (an occurrence's or a triggered one) was enqueued, or null
 * @param lastJobId that job's id, or null
 */
public record ScheduleInfo(String name, String definition, String catchUp, String kind, String queue,
                           boolean paused, List<Instant> nextRuns, Instant lastSlotAt, Instant lastRunAt,
                           Long lastJobId) {
    public ScheduleInfo {
        nextRuns = List.copyOf(nextRuns);
    }
}
