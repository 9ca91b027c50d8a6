package dev.sluice.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which due occurrences run: the latest ones the catch-up policy allows, the rest skipped. */
class SlotPlannerTest {
    private static final Schedule EVERY_SECOND = Schedule.every(Duration.ofSeconds(1));
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void anOccurrenceDueAloneRuns() {
        SlotPlanner.Plan plan = SlotPlanner.plan(EVERY_SECOND, T0, T0.plusMillis(3), 1);
        assertThat(plan.slots()).containsExactly(T0);
        assertThat(plan.skipped()).isZero();
        assertThat(plan.next()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void ofSeveralDueOccurrencesTheLatestRunAndTheOlderAreCounted() {
        SlotPlanner.Plan plan = SlotPlanner.plan(EVERY_SECOND, T0, T0.plusMillis(10_500), 3);
        assertThat(plan.slots()).containsExactly(T0.plusSeconds(8), T0.plusSeconds(9), T0.plusSeconds(10));
        assertThat(plan.skipped()).isEqualTo(8);
        assertThat(plan.next()).isEqualTo(T0.plusSeconds(11));
    }

    @Test
    void fewerDueThanAllowedRunAll() {
        SlotPlanner.Plan plan = SlotPlanner.plan(EVERY_SECOND, T0, T0.plusMillis(2_000), 10);
        assertThat(plan.slots()).containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));
        assertThat(plan.skipped()).isZero();
    }

    @Test
    void aLongDowntimeIsNotWalkedOccurrenceByOccurrence() {
        Instant now = T0.plus(Duration.ofDays(60)).plusMillis(400);
        SlotPlanner.Plan plan = SlotPlanner.plan(EVERY_SECOND, T0, now, 2);
        assertThat(plan.slots()).containsExactly(now.minusMillis(1_400), now.minusMillis(400));
        assertThat(plan.skipped()).isEqualTo(-1);
    }

    @Test
    void aLongDowntimeOfARareScheduleRunsItsLatestOccurrences() {
        Schedule monthly = Schedule.cron("@monthly", "Europe/Berlin");
        Instant first = Instant.parse("2024-01-31T23:00:00Z"); // 1 February, midnight in Berlin
        Instant now = Instant.parse("2024-06-15T00:00:00Z");
        SlotPlanner.Plan plan = SlotPlanner.plan(monthly, first, now, 2);
        assertThat(plan.slots()).isEqualTo(List.of(Instant.parse("2024-04-30T22:00:00Z"), Instant.parse("2024-05-31T22:00:00Z")));
        assertThat(plan.skipped()).isEqualTo(-1); // the look-back stopped once it had two: some skipped, uncounted
        assertThat(plan.next()).isEqualTo(Instant.parse("2024-06-30T22:00:00Z"));
        assertThat(SlotPlanner.plan(monthly, first, Instant.parse("2024-03-15T00:00:00Z"), 5).skipped()).isZero();
        assertThat(SlotPlanner.plan(monthly, first, Instant.parse("2024-03-15T00:00:00Z"), 1).skipped()).isEqualTo(1);
    }

    @Test
    void aScheduleThatNeverFiresAgainHasNoNextRun() {
        Schedule leapDayNoon = Schedule.cron("0 12 29 2 *", "UTC");
        Instant due = Instant.parse("2024-02-29T12:00:00Z");
        SlotPlanner.Plan plan = SlotPlanner.plan(leapDayNoon, due, due.plusSeconds(5), 1);
        assertThat(plan.slots()).containsExactly(due);
        assertThat(plan.next()).isEqualTo(Instant.parse("2028-02-29T12:00:00Z"));
    }
}
