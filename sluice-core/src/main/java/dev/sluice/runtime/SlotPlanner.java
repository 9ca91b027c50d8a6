package dev.sluice.runtime;

import dev.sluice.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * Decides which due occurrences of a schedule run: of those from the stored next run up to now,
 * the latest {@code maxRuns}. It looks back from now in growing windows instead of walking from
 * the stored next run, so a node back after a month does not list a month of seconds. Stateless.
 */
final class SlotPlanner {
    private static final Duration FIRST_WINDOW = Duration.ofMinutes(1);

    /**
     * The occurrences to run and what follows.
     *
     * @param slots the occurrences to run, oldest first; empty when none is due after all
     * @param skipped how many due occurrences are skipped, or -1 when some are and counting them was not worth it
     * @param next the first occurrence after now, or null when the schedule never fires again
     */
    record Plan(List<Instant> slots, long skipped, Instant next) {
    }

    private SlotPlanner() {
    }

    static Plan plan(Schedule schedule, Instant firstDue, Instant now, int maxRuns) {
        Instant next = schedule.next(now).orElse(null);
        Duration window = FIRST_WINDOW;
        while (true) {
            boolean whole = Duration.between(firstDue, now).compareTo(window) <= 0;
            Instant start = whole ? firstDue : now.minus(window);
            ArrayDeque<Instant> latest = new ArrayDeque<>(maxRuns + 1);
            long count = 0;
            Optional<Instant> t = schedule.next(start.minusMillis(1));
            while (t.isPresent() && !t.get().isAfter(now)) {
                count++;
                latest.addLast(t.get());
                if (latest.size() > maxRuns) {
                    latest.removeFirst();
                }
                t = schedule.next(t.get());
            }
            if (whole || count >= maxRuns) {
                return new Plan(List.copyOf(latest), whole ? count - latest.size() : -1, next);
            }
            window = window.multipliedBy(16);
        }
    }
}
