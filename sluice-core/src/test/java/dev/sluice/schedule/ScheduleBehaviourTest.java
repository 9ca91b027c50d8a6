package dev.sluice.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.Sluice;
import dev.sluice.job.Job;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobQuery;
import dev.sluice.job.JobState;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.testing.NodesOnOneDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What recurring schedules promise, on every dialect: one job per occurrence across nodes,
 * restarts with catch-up, pause, resume and trigger, listing, and clear rejections. Each test
 * uses its own schedule names and kinds. Intervals are one second and waits generous: the
 * machine is shared, and these tests check counts, never timings.
 */
abstract class ScheduleBehaviourTest extends NodesOnOneDatabase {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Schedule EVERY_SECOND = Schedule.every(Duration.ofSeconds(1));

    record Noop(String note) {
    }

    /** A row of sluice_schedule_slot, read directly to check the guarantees. */
    record Slot(Instant slotAt, String origin, Long jobId, Instant createdAt) {
    }

    private Sluice.Builder builder() {
        return db.sluice()
                .pollInterval(Duration.ofMillis(20), Duration.ofMillis(200))
                .heartbeatInterval(Duration.ofMillis(200))
                .leaseDuration(Duration.ofSeconds(5))
                .maintenanceInterval(Duration.ofMillis(300))
                .shutdownGrace(Duration.ofSeconds(2));
    }

    private void stop(Sluice node) {
        node.close();
        nodes.remove(node);
    }

    private static ScheduleInfo info(Sluice s, String name) {
        return s.schedules().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    private List<Slot> slots(String name) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT slot_at, origin, job_id, created_at FROM sluice_schedule_slot"
                     + " WHERE name = ? ORDER BY slot_at, origin")) {
            ps.setString(1, name);
            List<Slot> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long jobId = rs.getLong(3);
                    out.add(new Slot(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.wasNull() ? null : jobId,
                            Instant.ofEpochMilli(rs.getLong(4))));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Slot> scheduledSlots(String name) {
        return slots(name).stream().filter(s -> s.origin().equals("schedule")).toList();
    }

    private void execute(String sql) {
        try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Job> jobsOfKind(Sluice s, String kind) {
        return s.jobs(JobQuery.all().kind(kind).limit(1000)).jobs();
    }

    /** Every slot has its own job, every job of the kind has its slot: one job per occurrence. */
    private void assertOneJobPerSlot(Sluice s, String name, String kind) {
        List<Slot> slots = slots(name);
        assertThat(slots).allSatisfy(slot -> assertThat(slot.jobId()).isNotNull());
        assertThat(new HashSet<>(slots.stream().map(Slot::jobId).toList())).hasSize(slots.size());
        assertThat(jobsOfKind(s, kind)).extracting(Job::id)
                .containsExactlyInAnyOrderElementsOf(slots.stream().map(Slot::jobId).toList());
    }

    @Test
    void intervalScheduleRunsEachOccurrenceOnceWithThreeNodes() {
        Map<Instant, AtomicInteger> runs = new ConcurrentHashMap<>();
        List<Sluice> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(started(builder().nodeId("tick-node-" + i).schedule("tick", EVERY_SECOND,
                    ScheduledJob.handler((run, ctx) -> {
                        runs.computeIfAbsent(run.slotAt(), t -> new AtomicInteger()).incrementAndGet();
                        return JobOutcome.success();
                    }),
                    // runMissed keeps a late tick from collapsing occurrences, so none may be missing below
                    ScheduleOptions.defaults().catchUp(CatchUp.runMissed(100)))));
        }
        await().atMost(WAIT).until(() -> runs.size() >= 6);
        three.forEach(this::stop);

        List<Slot> slots = scheduledSlots("tick");
        assertThat(slots.size()).isGreaterThanOrEqualTo(6);
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1).slotAt(), slots.get(i).slotAt()))
                    .as("consecutive occurrences").isEqualTo(Duration.ofSeconds(1));
        }
        Sluice reader = started(builder());
        assertOneJobPerSlot(reader, "tick", "schedule:tick");
        assertThat(runs.keySet()).isSubsetOf(slots.stream().map(Slot::slotAt).toList());
        assertThat(runs.values()).allSatisfy(count -> assertThat(count).hasValue(1));
        for (Job job : jobsOfKind(reader, "schedule:tick")) {
            assertThat(job.tags()).containsExactly("schedule:tick");
            assertThat(job.payload()).contains("\"schedule\":\"tick\"", "\"triggered\":false");
        }
    }

    @Test
    void restartedNodeRunsOnlyTheLatestMissedOccurrenceByDefault() {
        List<Instant> fired = restartAfterFiveMissedDays("restart-skip", CatchUp.skipMissed());
        assertThat(fired).hasSize(1);
    }

    @Test
    void restartedNodeRunsUpToTheGivenNumberOfMissedOccurrences() {
        List<Instant> fired = restartAfterFiveMissedDays("restart-run3", CatchUp.runMissed(3));
        assertThat(fired).hasSize(3);
    }

    /**
     * Registers a daily schedule on one node and stops it; moves the stored next run five days
     * back, as if every node had been down since (five occurrences missed); starts another node
     * with {@code catchUp} and returns the occurrences it fired, after checking that they are the
     * latest missed ones, oldest first, one job each, and that the schedule goes on from tomorrow.
     */
    private List<Instant> restartAfterFiveMissedDays(String name, CatchUp catchUp) {
        Schedule daily = Schedule.every(Duration.ofDays(1));
        String kind = "noop." + name;
        ScheduleOptions options = ScheduleOptions.defaults().catchUp(catchUp);
        Sluice first = started(builder().schedule(name, daily, ScheduledJob.enqueue(kind, new Noop("x")), options));
        Instant next = info(first, name).nextRuns().getFirst();
        stop(first);
        // Close to midnight UTC the next occurrence could fall due during the test; wait it out.
        if (Duration.between(Instant.now(), next).compareTo(Duration.ofSeconds(30)) < 0) {
            await().atMost(Duration.ofMinutes(1)).until(() -> Instant.now().isAfter(next.plusSeconds(1)));
            throw new org.opentest4j.TestAbortedException("ran across midnight UTC; run again");
        }
        execute("UPDATE sluice_schedule SET next_run_at = next_run_at - " + Duration.ofDays(5).toMillis()
                + " WHERE name = '" + name + "'");

        Sluice second = started(builder().schedule(name, daily, ScheduledJob.enqueue(kind, new Noop("x")), options));
        await().atMost(WAIT).until(() -> info(second, name).lastSlotAt() != null);
        List<Instant> fired = scheduledSlots(name).stream().map(Slot::slotAt).toList();
        List<Instant> missed = List.of(next.minus(Duration.ofDays(5)), next.minus(Duration.ofDays(4)),
                next.minus(Duration.ofDays(3)), next.minus(Duration.ofDays(2)), next.minus(Duration.ofDays(1)));
        assertThat(fired).isEqualTo(missed.subList(missed.size() - catchUp.maxRuns(), missed.size()));
        assertOneJobPerSlot(second, name, kind);
        ScheduleInfo after = info(second, name);
        assertThat(after.lastSlotAt()).isEqualTo(next.minus(Duration.ofDays(1)));
        assertThat(after.nextRuns().getFirst()).isEqualTo(next);
        return fired;
    }

    @Test
    void restartedNodeGoesOnFromTheStoredNextRunAndNeverEnqueuesAnOccurrenceTwice() {
        String kind = "noop.rewind";
        ScheduleOptions options = ScheduleOptions.defaults().catchUp(CatchUp.runMissed(20));
        Sluice first = started(builder().schedule("rewind", EVERY_SECOND, ScheduledJob.enqueue(kind, new Noop("r")), options));
        await().atMost(WAIT).until(() -> scheduledSlots("rewind").size() >= 3);
        stop(first);
        int before = scheduledSlots("rewind").size();
        // As if the stored state were stale: every occurrence already fired is due again.
        execute("UPDATE sluice_schedule SET next_run_at = next_run_at - 10000 WHERE name = 'rewind'");
        Sluice second = started(builder().schedule("rewind", EVERY_SECOND, ScheduledJob.enqueue(kind, new Noop("r")), options));
        await().atMost(WAIT).until(() -> scheduledSlots("rewind").size() >= before + 2);
        stop(second);
        List<Slot> slots = scheduledSlots("rewind");
        for (int i = 1; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - 1).slotAt(), slots.get(i).slotAt()))
                    .as("no occurrence lost across the restart").isEqualTo(Duration.ofSeconds(1));
        }
        assertOneJobPerSlot(started(builder()), "rewind", kind);
    }

    @Test
    void changedDefinitionStartsFromItsOwnNextTimeWithoutCatchingUp() throws Exception {
        String kind = "noop.redefined";
        ScheduleOptions options = ScheduleOptions.defaults().catchUp(CatchUp.runMissed(10));
        Sluice first = started(builder().schedule("redefined", EVERY_SECOND, ScheduledJob.enqueue(kind, new Noop("a")), options));
        await().atMost(WAIT).until(() -> info(first, "redefined").lastSlotAt() != null);
        stop(first);
        Thread.sleep(2_500);
        Instant restart = Instant.now();
        Schedule everyTwo = Schedule.every(Duration.ofSeconds(2));
        Sluice second = started(builder().schedule("redefined", everyTwo, ScheduledJob.enqueue(kind, new Noop("b")), options));
        assertThat(info(second, "redefined").definition()).isEqualTo("every(PT2S)");
        int before = scheduledSlots("redefined").size();
        await().atMost(WAIT).until(() -> scheduledSlots("redefined").size() > before);
        List<Slot> newer = scheduledSlots("redefined").subList(before, scheduledSlots("redefined").size());
        assertThat(newer).allSatisfy(s -> {
            assertThat(s.slotAt()).isAfter(restart.minusMillis(50));
            assertThat(s.slotAt().toEpochMilli() % 2000).isZero();
        });
    }

    @Test
    void pauseStopsFiringTriggerRunsNowAndResumeGoesOnWithoutCatchingUp() throws Exception {
        String kind = "noop.pausable";
        Sluice s = started(builder().schedule("pausable", EVERY_SECOND, ScheduledJob.enqueue(kind, new Noop("p")),
                ScheduleOptions.defaults().catchUp(CatchUp.runMissed(50)).priority(3).maxAttempts(2)));
        await().atMost(WAIT).until(() -> !scheduledSlots("pausable").isEmpty());

        s.pauseSchedule("pausable");
        s.pauseSchedule("pausable"); // pausing twice changes nothing
        Instant pausedAt = Instant.now();
        ScheduleInfo paused = info(s, "pausable");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextRuns()).isEmpty();
        int firedBeforePause = scheduledSlots("pausable").size();
        Thread.sleep(2_500);
        assertThat(scheduledSlots("pausable")).hasSize(firedBeforePause);

        long triggered = s.triggerSchedule("pausable");
        Job job = s.job(triggered).orElseThrow();
        assertThat(job.kind()).isEqualTo(kind);
        assertThat(job.priority()).isEqualTo(3);
        assertThat(job.maxAttempts()).isEqualTo(2);
        assertThat(job.tags()).containsExactly("schedule:pausable", "triggered");
        assertThat(job.payload()).isEqualTo("{\"note\":\"p\"}");
        assertThat(info(s, "pausable").lastJobId()).isEqualTo(triggered);
        assertThat(info(s, "pausable").lastRunAt()).isNotNull();
        assertThat(slots("pausable")).filteredOn(slot -> slot.origin().equals("trigger"))
                .extracting(Slot::jobId).containsExactly(triggered);
        assertThat(scheduledSlots("pausable")).hasSize(firedBeforePause);

        Instant resumedAt = Instant.now();
        s.resumeSchedule("pausable");
        s.resumeSchedule("pausable"); // resuming a running schedule changes nothing
        ScheduleInfo resumed = info(s, "pausable");
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextRuns()).hasSize(5);
        assertThat(resumed.nextRuns().getFirst()).isAfter(resumedAt.minusMillis(50));
        await().atMost(WAIT).until(() -> scheduledSlots("pausable").size() > firedBeforePause);
        assertThat(scheduledSlots("pausable").subList(firedBeforePause, scheduledSlots("pausable").size()))
                .allSatisfy(slot -> assertThat(slot.slotAt()).isAfter(pausedAt));
        assertOneJobPerSlot(s, "pausable", kind);
    }

    @Test
    void managementOfAnUnknownScheduleFailsNamingIt() {
        Sluice s = started(builder().schedule("known", Schedule.every(Duration.ofHours(1)),
                ScheduledJob.enqueue("noop.known", new Noop("k"))));
        assertThatThrownBy(() -> s.pauseSchedule("nope"))
                .isInstanceOf(UnknownScheduleException.class)
                .hasMessageStartingWith("unknown schedule 'nope'; known schedules: [")
                .hasMessageContaining("known");
        assertThatThrownBy(() -> s.resumeSchedule("nope")).isInstanceOf(UnknownScheduleException.class);
        assertThatThrownBy(() -> s.triggerSchedule("nope")).isInstanceOf(UnknownScheduleException.class);
    }

    @Test
    void handlerScheduleTriggeredByHandRunsWithItsRunDescription() {
        List<ScheduledRun> runs = new CopyOnWriteArrayList<>();
        Sluice s = started(builder().schedule("by-hand", Schedule.cron("0 0 4 1 1 *", "UTC"),
                ScheduledJob.handler((run, ctx) -> {
                    runs.add(run);
                    return JobOutcome.success();
                })));
        long id = s.triggerSchedule("by-hand");
        await().atMost(WAIT).until(() -> s.job(id).map(Job::state).orElse(null) == JobState.COMPLETED);
        assertThat(runs).hasSize(1);
        assertThat(runs.getFirst().schedule()).isEqualTo("by-hand");
        assertThat(runs.getFirst().triggered()).isTrue();
        assertThat(runs.getFirst().slotAt()).isEqualTo(slots("by-hand").getFirst().slotAt());
    }

    @Test
    void schedulesAreListedWithTheirNextRunsOnAnyNode() {
        Schedule.Cron workdays = Schedule.cron("0 0 9 * * MON-FRI", "Europe/Berlin");
        started(builder().queue("reports", 2)
                .schedule("workday-report", workdays, ScheduledJob.enqueue("report.render", new Noop("daily")),
                        ScheduleOptions.defaults().queue("reports").catchUp(CatchUp.runMissed(3))));
        Sluice other = started(builder()); // registers no schedules, sees them all
        ScheduleInfo listed = info(other, "workday-report");
        assertThat(listed.definition()).isEqualTo("cron(0 0 9 * * MON-FRI, Europe/Berlin)");
        assertThat(listed.catchUp()).isEqualTo("run-missed(3)");
        assertThat(listed.kind()).isEqualTo("report.render");
        assertThat(listed.queue()).isEqualTo("reports");
        assertThat(listed.paused()).isFalse();
        assertThat(listed.lastSlotAt()).isNull();
        assertThat(listed.lastRunAt()).isNull();
        assertThat(listed.nextRuns()).hasSize(5)
                .isEqualTo(workdays.nextTimes(listed.nextRuns().getFirst().minusMillis(1), 5));
        assertThat(listed.nextRuns().getFirst()).isAfter(Instant.now().minusSeconds(1));
        assertThat(listed.nextRuns()).allSatisfy(t ->
                assertThat(t.atZone(workdays.zone()).getHour()).isEqualTo(9));
    }

    @Test
    void cronWithASecondsFieldFiresAtItsSeconds() {
        List<ScheduledRun> runs = new CopyOnWriteArrayList<>();
        started(builder().schedule("even-seconds", Schedule.cron("*/2 * * * * *", "UTC"),
                ScheduledJob.handler((run, ctx) -> {
                    runs.add(run);
                    return JobOutcome.success();
                })));
        await().atMost(WAIT).until(() -> runs.size() >= 2);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.slotAt().getEpochSecond() % 2).isZero();
            assertThat(run.slotAt().getNano()).isZero();
        });
    }

    @Test
    void failuresOfTheSchedulerReachTheErrorListenerAndFiringResumesAfterwards() {
        List<String> loops = new CopyOnWriteArrayList<>();
        Sluice s = started(builder().errorListener((loop, error) -> loops.add(loop))
                .schedule("fragile", EVERY_SECOND, ScheduledJob.enqueue("noop.fragile", new Noop("f"))));
        await().atMost(WAIT).until(() -> !scheduledSlots("fragile").isEmpty());
        execute("ALTER TABLE sluice_schedule_slot RENAME TO sluice_schedule_slot_away");
        try {
            await().atMost(WAIT).until(() -> loops.contains("schedule:fragile"));
        } finally {
            execute("ALTER TABLE sluice_schedule_slot_away RENAME TO sluice_schedule_slot");
        }
        int fired = scheduledSlots("fragile").size();
        await().atMost(WAIT).until(() -> scheduledSlots("fragile").size() > fired);
        assertOneJobPerSlot(s, "fragile", "noop.fragile");
    }

    @Test
    void badSchedulesAreRejectedNamingTheProblem() {
        ScheduledJob job = ScheduledJob.enqueue("noop.bad", new Noop("b"));
        assertThatThrownBy(() -> builder().schedule("nowhere", EVERY_SECOND, job,
                ScheduleOptions.defaults().queue("nowhere")).build())
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageStartingWith("schedule 'nowhere': queue: unknown queue 'nowhere'; known queues: [default]");
        assertThatThrownBy(() -> builder().schedule("twice", EVERY_SECOND, job).schedule("twice", EVERY_SECOND, job))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessage("a schedule named 'twice' is already registered");
        assertThatThrownBy(() -> builder().schedule(" padded", EVERY_SECOND, job))
                .hasMessage("schedule name must be 1 to 200 characters without surrounding spaces or control characters,"
                        + " got ' padded'");
        assertThatThrownBy(() -> builder().schedule("no-job", EVERY_SECOND, null))
                .hasMessage("schedule 'no-job' needs a schedule, a job and options");
        assertThatThrownBy(() -> builder().handler("schedule:mine", Noop.class, (p, ctx) -> JobOutcome.success())
                .schedule("mine", EVERY_SECOND, ScheduledJob.handler((run, ctx) -> JobOutcome.success())))
                .hasMessage("schedule 'mine': a handler for kind 'schedule:mine' is already registered");
        assertThatThrownBy(() -> builder().schedule("bad-cron", Schedule.cron("x 1 * * *", "UTC"), job))
                .hasMessage("cron 'x 1 * * *': minute field 'x' is not a number or name");
        assertThatThrownBy(() -> builder().schedule("bad-zone", Schedule.cron("0 1 * * *", "Europe/Nowhere"), job))
                .hasMessage("cron '0 1 * * *': zone 'Europe/Nowhere' is not a known time zone;"
                        + " use an IANA name such as Europe/Berlin or UTC");
    }
}
