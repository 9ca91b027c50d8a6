package dev.sluice.schedule;

import java.time.Instant;

/**
 * The payload of a job a handler schedule ({@link ScheduledJob#handler(ScheduleHandler)})
 * enqueues: which schedule, and which occurrence. Immutable.
 *
 * @param schedule the schedule's name
 * @param slotAt the occurrence this run is for; for a run triggered by hand, the time of the trigger
 * @param triggered true for a run started by {@code Sluice.triggerSchedule}, outside the schedule's times
 */
public record ScheduledRun(String schedule, Instant slotAt, boolean triggered) {
}
