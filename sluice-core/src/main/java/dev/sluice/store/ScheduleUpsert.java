package dev.sluice.store;

import java.time.Instant;

/**
 * A schedule as a node registers it.
 *
 * @param name the schedule's name
 * @param definition when it fires, as {@code Schedule.definition()} writes it
 * @param catchUp its catch-up policy, as {@code CatchUp.describe()} writes it
 * @param kind the kind of its jobs
 * @param queue the queue of its jobs
 * @param priority the priority of its jobs
 * @param payload the payload of its jobs (JSON), or null when each job gets its own run description
 * @param maxAttempts the attempts of its jobs
 * @param nextRunAt its first occurrence from now, or null when it never fires
 */
public record ScheduleUpsert(String name, String definition, String catchUp, String kind, String queue, int priority,
                             String payload, int maxAttempts, Instant nextRunAt) {
}
