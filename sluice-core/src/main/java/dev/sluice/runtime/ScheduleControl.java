package dev.sluice.runtime;

import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.schedule.InvalidScheduleException;
import dev.sluice.schedule.Schedule;
import dev.sluice.schedule.ScheduleInfo;
import dev.sluice.schedule.UnknownScheduleException;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.ScheduleRow;
import dev.sluice.store.ScheduleStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Lists, pauses, resumes and triggers schedules. Works from what is stored, so any node can
 * manage any schedule, including ones only other nodes register. Public for
 * {@code dev.sluice.Sluice}; not API. Thread-safe.
 */
public final class ScheduleControl {
    /** How many next runs a listing shows. */
    static final int NEXT_RUNS = 5;
    /** Two triggers of one schedule in the same millisecond take the next free one. */
    private static final int TRIGGER_TRIES = 100;

    private final ScheduleStore store;
    private final JobStore jobs;
    private final SluiceMetrics metrics;
    private final Consumer<String> localWake;

    ScheduleControl(ScheduleStore store, JobStore jobs, SluiceMetrics metrics, Consumer<String> localWake) {
        this.store = store;
        this.jobs = jobs;
        this.metrics = metrics;
        this.localWake = localWake;
    }

    /** Every stored schedule with its next runs, by name. */
    public List<ScheduleInfo> list() {
        return store.scheduleList().stream().map(ScheduleControl::info).toList();
    }

    /** Stops firing {@code name} until resumed; nothing happens when it is paused already. */
    public void pause(String name) {
        require(name);
        store.schedulePause(name);
    }

    /**
     * Fires {@code name} again, from its next time after now: what fell due while it was paused
     * is not caught up. Nothing happens when it is not paused.
     */
    public void resume(String name) {
        ScheduleRow row = require(name);
        if (row.paused()) {
            Schedule schedule = Schedule.parse(row.definition());
            store.scheduleResume(name, schedule.next(jobs.now()).orElse(null));
        }
    }

    /**
     * Enqueues one run of {@code name} now, outside its times (they are not moved), even while it
     * is paused; recorded as a slot of origin {@code trigger} and as its latest run. Returns the
     * job's id.
     */
    public long trigger(String name) {
        ScheduleRow row = require(name);
        Instant at = jobs.now();
        for (int i = 0; i < TRIGGER_TRIES; i++) {
            Instant slot = at.plusMillis(i);
            NewJob job = RegisteredSchedule.triggeredJob(row, slot);
            Optional<Long> id = store.scheduleTrigger(name, slot, job);
            if (id.isPresent()) {
                metrics.count("enqueued", job.queue(), job.kind());
                localWake.accept(job.queue());
                return id.get();
            }
        }
        throw new IllegalStateException("schedule '" + name + "': " + TRIGGER_TRIES
                + " triggers in a row found their millisecond taken; try again");
    }

    private ScheduleRow require(String name) {
        Optional<ScheduleRow> row = store.scheduleGet(name);
        if (row.isEmpty()) {
            throw new UnknownScheduleException(name, store.scheduleList().stream().map(ScheduleRow::name).toList());
        }
        return row.get();
    }

    private static ScheduleInfo info(ScheduleRow row) {
        List<Instant> next = new ArrayList<>();
        if (!row.paused() && row.nextRunAt() != null) {
            next.add(row.nextRunAt());
            try {
                next.addAll(Schedule.parse(row.definition()).nextTimes(row.nextRunAt(), NEXT_RUNS - 1));
            } catch (InvalidScheduleException e) {
                // A definition this version cannot read (written by a newer one): show what is stored.
            }
        }
        return new ScheduleInfo(row.name(), row.definition(), row.catchUp(), row.kind(), row.queue(), row.paused(),
                next, row.lastSlotAt(), row.lastRunAt(), row.lastJobId());
    }
}
