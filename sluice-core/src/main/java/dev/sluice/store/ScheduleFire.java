package dev.sluice.store;

import java.time.Instant;
import java.util.List;

/**
 * Occurrences of one schedule to fire together.
 *
 * @param name the schedule's name
 * @param definition the definition the firing node computed the slots from; the fire is refused if it changed
 * @param expectedNextRunAt the next run the node read; the fire is refused if it moved on
 * @param nextRunAt the next run afterwards, or null when the schedule never fires again
 * @param slots the occurrences to run, oldest first, each with its job; may be empty
 */
public record ScheduleFire(String name, String definition, Instant expectedNextRunAt, Instant nextRunAt,
                           List<Slot> slots) {
    public ScheduleFire {
        slots = List.copyOf(slots);
    }

    /** The latest occurrence fired, or null when there is none (the next run only moves on). */
    public Instant lastSlotAt() {
        return slots.isEmpty() ? null : slots.getLast().slotAt();
    }

    /**
     * One occurrence and the job it enqueues.
     *
     * @param slotAt the occurrence
     * @param job the job
     */
    public record Slot(Instant slotAt, NewJob job) {
    }
}
