package dev.sluice.runtime;

import dev.sluice.ErrorListener;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.store.JobStore;
import dev.sluice.store.ScheduleFire;
import dev.sluice.store.ScheduleRow;
import dev.sluice.store.ScheduleStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires this node's schedules (loop {@code scheduler}). Each run reads the stored schedules and
 * the database clock; for each of this node's schedules that is due it plans the occurrences to
 * run ({@link SlotPlanner}: the latest ones allowed by the catch-up policy) and fires them in one
 * transaction that moves the stored next run on by compare-and-set and inserts one slot row and
 * one job per occurrence. Every node with schedules runs this loop; when several find the same
 * occurrence due, the compare-and-set lets one fire it, and the slot key would refuse a second
 * job even if it did not. The loop then sleeps until the earliest next run (at most its interval,
 * at least {@link #MIN_WAIT}). A failure of one schedule is reported to the error listener as
 * loop {@code schedule:<name>} and retried on the next run; the others carry on. Not thread-safe:
 * only the loop's thread calls it.
 */
final class Scheduler implements PeriodicLoop.Paced {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    static final Duration MIN_WAIT = Duration.ofMillis(10);
    /** Wake a little after the due time, so the database clock has passed it too. */
    private static final Duration LATE_BY = Duration.ofMillis(5);
    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    private final List<RegisteredSchedule> schedules;
    private final ScheduleStore store;
    private final JobStore jobs;
    private final SluiceMetrics metrics;
    private final ErrorListener errors;
    private final Consumer<String> localWake;
    private final Duration maxWait;
    private final Duration retention;
    private final Set<String> warnedDefinitions = new HashSet<>();
    private volatile Duration nextWait;
    private Instant nextPrune = Instant.MIN;

    Scheduler(List<RegisteredSchedule> schedules, ScheduleStore store, JobStore jobs, SluiceMetrics metrics,
              ErrorListener errors, Consumer<String> localWake, Duration maxWait, Duration retention) {
        this.schedules = List.copyOf(schedules);
        this.store = store;
        this.jobs = jobs;
        this.metrics = metrics;
        this.errors = errors;
        this.localWake = localWake;
        this.maxWait = maxWait;
        this.retention = retention;
        this.nextWait = maxWait;
    }

    /**
     * Writes this node's schedules: a new one starts at its next time from now; a known one keeps
     * its stored next run (so the catch-up policy applies to what was missed while no node ran
     * it), unless its definition changed.
     */
    void register() {
        Instant now = jobs.now();
        for (RegisteredSchedule s : schedules) {
            store.scheduleUpsert(s.upsert(now));
        }
    }

    @Override
    public Duration nextWait() {
        return nextWait;
    }

    @Override
    public void run() {
        Instant now = jobs.now();
        Map<String, ScheduleRow> rows = new HashMap<>();
        for (ScheduleRow row : store.scheduleList()) {
            rows.put(row.name(), row);
        }
        Instant earliest = null;
        for (RegisteredSchedule s : schedules) {
            try {
                Instant next = visit(s, rows.get(s.name()), now);
                if (next != null && (earliest == null || next.isBefore(earliest))) {
                    earliest = next;
                }
            } catch (RuntimeException e) {
                LOG.warn("schedule '{}' failed: {}", s.name(), e.toString());
                errors.onError(ScheduleRegistration.KIND_PREFIX + s.name(), e);
            }
        }
        pruneSlots(now);
        Duration wait = earliest == null ? maxWait : Duration.between(now, earliest).plus(LATE_BY);
        nextWait = wait.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : wait;
    }

    /** Fires {@code s} if it is due; returns its next run as far as this node knows, or null. */
    private Instant visit(RegisteredSchedule s, ScheduleRow row, Instant now) {
        if (row == null) {
            // Deleted from the table while this node runs it: write it again, starting from now.
            store.scheduleUpsert(s.upsert(now));
            return null;
        }
        if (!row.definition().equals(s.definition())) {
            if (warnedDefinitions.add(s.name() + "\n" + row.definition())) {
                LOG.warn("schedule '{}' is {} on this node but {} in the database (registered since by another node);"
                        + " this node leaves it to the nodes that agree", s.name(), s.definition(), row.definition());
            }
            return null;
        }
        if (row.paused() || row.nextRunAt() == null) {
            return null;
        }
        if (row.nextRunAt().isAfter(now)) {
            return row.nextRunAt();
        }
        SlotPlanner.Plan plan = SlotPlanner.plan(s.schedule(), row.nextRunAt(), now, s.catchUp().maxRuns());
        List<ScheduleFire.Slot> slots = plan.slots().stream().map(t -> new ScheduleFire.Slot(t, s.jobFor(t))).toList();
        List<Long> ids = store.scheduleFire(new ScheduleFire(s.name(), s.definition(), row.nextRunAt(), plan.next(), slots));
        if (!ids.isEmpty()) {
            ids.forEach(id -> metrics.count("enqueued", s.template().queue(), s.template().kind()));
            localWake.accept(s.template().queue());
            if (plan.skipped() != 0) {
                LOG.info("schedule '{}': ran {} occurrence(s) up to {}, skipped {} older one(s) due since {} ({})",
                        s.name(), ids.size(), slots.getLast().slotAt(), plan.skipped() < 0 ? "the" : plan.skipped(),
                        row.nextRunAt(), s.catchUp().describe());
            }
        }
        return plan.next();
    }

    /** Slots are kept as long as finished jobs, then deleted; at most once a minute per node. */
    private void pruneSlots(Instant now) {
        if (now.isBefore(nextPrune)) {
            return;
        }
        nextPrune = now.plus(PRUNE_EVERY);
        for (RegisteredSchedule s : schedules) {
            try {
                store.scheduleSlotPrune(s.name(), retention);
            } catch (RuntimeException e) {
                errors.onError(ScheduleRegistration.KIND_PREFIX + s.name(), e);
            }
        }
    }
}
