package dev.sluice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage of recurring schedules and the occurrences they fired. No logic lives here: each
 * method is one statement or one short transaction. Implementations are thread-safe; every time
 * is the database clock's.
 */
public interface ScheduleStore {

    /**
     * Inserts a schedule, or refreshes its definition, catch-up policy and job template. When the
     * stored definition differs, its next run restarts at {@code upsert.nextRunAt()}; otherwise
     * the stored next run is kept, so a restarted node catches up from it. Paused state and run
     * history are kept.
     */
    void scheduleUpsert(ScheduleUpsert upsert);

    /** Every stored schedule, by name. */
    List<ScheduleRow> scheduleList();

    Optional<ScheduleRow> scheduleGet(String name);

    /**
     * Fires occurrences in one transaction: moves the schedule's next run from
     * {@code expectedNextRunAt} on (only if it is still that, unpaused, with that definition), then
     * for each slot inserts the slot if absent and, if it was, its job. Returns the ids of the
     * jobs enqueued; empty when the schedule had moved on (another node fired it, or it was
     * paused or redefined meanwhile).
     */
    List<Long> scheduleFire(ScheduleFire fire);

    /**
     * Records a run triggered by hand at {@code at} (origin {@code trigger}) and enqueues its job,
     * in one transaction. Empty when a triggered run of that schedule is already recorded at
     * {@code at}.
     */
    Optional<Long> scheduleTrigger(String name, Instant at, NewJob job);

    /** Pauses a schedule; false when it was paused already or does not exist. */
    boolean schedulePause(String name);

    /** Resumes a paused schedule from {@code nextRunAt}; false when it was not paused or does not exist. */
    boolean scheduleResume(String name, Instant nextRunAt);

    /** Deletes the slots of {@code name} written more than {@code retention} ago; returns how many. */
    int scheduleSlotPrune(String name, Duration retention);
}
