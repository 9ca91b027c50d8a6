package dev.sluice.runtime;

import dev.sluice.internal.Json;
import dev.sluice.schedule.CatchUp;
import dev.sluice.schedule.Schedule;
import dev.sluice.schedule.ScheduledRun;
import dev.sluice.store.NewJob;
import dev.sluice.store.ScheduleRow;
import dev.sluice.store.ScheduleUpsert;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A schedule this node runs, with its job checked and encoded once.
 *
 * @param name the schedule's name
 * @param schedule when it fires
 * @param catchUp what happens to missed occurrences
 * @param template the job of each occurrence; its payload is used as is unless {@code describesRun}
 * @param describesRun true for handler schedules, whose jobs carry a {@link ScheduledRun} payload
 */
record RegisteredSchedule(String name, Schedule schedule, CatchUp catchUp, NewJob template, boolean describesRun) {

    String definition() {
        return schedule.definition();
    }

    /** The job of the occurrence at {@code slotAt}. */
    NewJob jobFor(Instant slotAt) {
        return job(template, name, slotAt, false, describesRun);
    }

    /** What this node writes at start-up; the next run counts from {@code now}. */
    ScheduleUpsert upsert(Instant now) {
        return new ScheduleUpsert(name, definition(), catchUp.describe(), template.kind(), template.queue(),
                template.priority(), describesRun ? null : template.payload(), template.maxAttempts(),
                schedule.next(now).orElse(null));
    }

    /** The job of a triggered run, from what is stored (any node may trigger any schedule). */
    static NewJob triggeredJob(ScheduleRow row, Instant at) {
        NewJob template = new NewJob(row.kind(), row.queue(), "available", row.priority(), row.payload(),
                Json.write(tags(row.name(), false)), row.maxAttempts(), null, 0);
        return job(template, row.name(), at, true, row.payload() == null);
    }

    private static NewJob job(NewJob template, String name, Instant slotAt, boolean triggered, boolean describesRun) {
        String payload = describesRun ? Json.write(new ScheduledRun(name, slotAt, triggered)) : template.payload();
        String tags = triggered ? Json.write(tags(name, true)) : template.tags();
        return new NewJob(template.kind(), template.queue(), template.state(), template.priority(), payload, tags,
                template.maxAttempts(), null, 0);
    }

    /** Jobs of schedules are tagged {@code schedule:<name>}, and {@code triggered} when started by hand. */
    static List<String> tags(String name, boolean triggered) {
        List<String> tags = new ArrayList<>(List.of(ScheduleRegistration.KIND_PREFIX + name));
        if (triggered) {
            tags.add("triggered");
        }
        return tags;
    }
}
