package dev.sluice.runtime;

import dev.sluice.schedule.Schedule;
import dev.sluice.schedule.ScheduleOptions;
import dev.sluice.schedule.ScheduledJob;

/**
 * A schedule as given to {@code Sluice.Builder.schedule}, before the engine checks its job
 * against the node's queues and payload limit. Public for {@code dev.sluice.Sluice}; not API.
 *
 * @param name the schedule's name
 * @param schedule when it fires
 * @param job what each occurrence does
 * @param options queue, priority, attempts, catch-up
 */
public record ScheduleRegistration(String name, Schedule schedule, ScheduledJob job, ScheduleOptions options) {

    /** The prefix of the kinds of handler schedules: {@code schedule:<name>}. */
    public static final String KIND_PREFIX = "schedule:";

    /** The kind of the jobs this schedule enqueues. */
    public String kind() {
        return switch (job) {
            case ScheduledJob.Enqueue e -> e.kind();
            case ScheduledJob.Handler h -> KIND_PREFIX + name;
        };
    }
}
