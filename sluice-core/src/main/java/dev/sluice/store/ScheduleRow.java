package dev.sluice.store;

import java.time.Instant;

/**
 * A stored schedule.
 *
 * @param name the schedule's name
 * @param definition when it fires, as {@code Schedule.definition()} writes it
 * @param catchUp its catch-up policy, as {@code CatchUp.describe()} writes it
 * @param kind the kind of its jobs
 * @param queue the queue of its jobs
 * @param priority the priority of its jobs
 * @param payload the payload of its jobs (JSON), or null when each job gets its own run description
 * @param maxAttempts the attempts of its jobs
 * @param paused true while paused
 * @param nextRunAt the earliest occurrence not fired yet, or null when it never fires again
 * @param lastSlotAt the latest occurrence fired, or null
 * @param lastRunAt when its latest job was enqueued (occurrence or trigger), or null
 * @param lastJobId that job's id, or null
 */
public record ScheduleRow(String name, String definition, String catchUp, String kind, String queue, int priority,
                          String payload, int maxAttempts, boolean paused, Instant nextRunAt, Instant lastSlotAt,
                          Instant lastRunAt, Long lastJobId) {
}
