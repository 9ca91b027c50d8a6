package dev.sluice.store.jdbc;

import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.ScheduleFire;
import dev.sluice.store.ScheduleRow;
import dev.sluice.store.ScheduleStore;
import dev.sluice.store.ScheduleUpsert;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Schedules on JDBC. A fire is one transaction: the compare-and-set on the schedule's next run,
 * then per occurrence an insert-if-absent of its slot and, when the slot was new, its job
 * (through the job store, on the same connection, so PostgreSQL's NOTIFY goes out at commit).
 * The job exists if and only if its slot does. Thread-safe.
 */
final class JdbcScheduleStore implements ScheduleStore {
    static final String ORIGIN_SCHEDULE = "schedule";
    static final String ORIGIN_TRIGGER = "trigger";

    private final JdbcExecutor db;
    private final JobStore jobs;

    JdbcScheduleStore(JdbcExecutor db, JobStore jobs) {
        this.db = db;
        this.jobs = jobs;
    }

    @Override
    public void scheduleUpsert(ScheduleUpsert u) {
        db.withConnection("registration of schedule " + u.name(), c -> db.update(c, "scheduleUpsert", SqlParams.of()
                .set("name", u.name())
                .set("definition", u.definition())
                .set("catch_up", u.catchUp())
                .set("kind", u.kind())
                .set("queue", u.queue())
                .set("priority", u.priority())
                .set("payload", u.payload())
                .set("max_attempts", u.maxAttempts())
                .set("next_run_at", millis(u.nextRunAt()))));
    }

    @Override
    public List<ScheduleRow> scheduleList() {
        return db.withConnection("schedule listing",
                c -> db.query(c, "scheduleList", SqlParams.of(), JdbcScheduleStore::map));
    }

    @Override
    public Optional<ScheduleRow> scheduleGet(String name) {
        return db.withConnection("read of schedule " + name,
                c -> db.query(c, "scheduleGet", SqlParams.of().set("name", name), JdbcScheduleStore::map))
                .stream().findFirst();
    }

    @Override
    public List<Long> scheduleFire(ScheduleFire fire) {
        return db.inTransaction("fire of schedule " + fire.name(), c -> {
            int advanced = db.update(c, "scheduleAdvance", SqlParams.of()
                    .set("name", fire.name())
                    .set("definition", fire.definition())
                    .set("expected_next_run_at", millis(fire.expectedNextRunAt()))
                    .set("next_run_at", millis(fire.nextRunAt()))
                    .set("last_slot_at", millis(fire.lastSlotAt())));
            if (advanced == 0) {
                return List.of();
            }
            List<Long> ids = new ArrayList<>(fire.slots().size());
            for (ScheduleFire.Slot slot : fire.slots()) {
                insertSlotWithJob(c, fire.name(), slot.slotAt(), ORIGIN_SCHEDULE, slot.job()).ifPresent(ids::add);
            }
            if (!ids.isEmpty()) {
                db.update(c, "scheduleRecordRun", SqlParams.of().set("name", fire.name()).set("job_id", ids.getLast()));
            }
            return ids;
        });
    }

    @Override
    public Optional<Long> scheduleTrigger(String name, Instant at, NewJob job) {
        return db.inTransaction("trigger of schedule " + name, c -> {
            Optional<Long> id = insertSlotWithJob(c, name, at, ORIGIN_TRIGGER, job);
            if (id.isPresent()) {
                db.update(c, "scheduleRecordRun", SqlParams.of().set("name", name).set("job_id", id.get()));
            }
            return id;
        });
    }

    /** The slot first: its key decides, and the job is inserted only when the slot was new. */
    private Optional<Long> insertSlotWithJob(Connection c, String name, Instant at, String origin, NewJob job)
            throws SQLException {
        SqlParams slot = SqlParams.of().set("name", name).set("slot_at", at.toEpochMilli()).set("origin", origin);
        if (db.update(c, "scheduleSlotInsert", slot) == 0) {
            return Optional.empty();
        }
        long id = jobs.jobInsertMany(c, List.of(job)).getFirst();
        db.update(c, "scheduleSlotSetJob", slot.set("job_id", id));
        return Optional.of(id);
    }

    @Override
    public boolean schedulePause(String name) {
        return db.withConnection("pause of schedule " + name,
                c -> db.update(c, "schedulePause", SqlParams.of().set("name", name))) == 1;
    }

    @Override
    public boolean scheduleResume(String name, Instant nextRunAt) {
        return db.withConnection("resumption of schedule " + name, c -> db.update(c, "scheduleResume",
                SqlParams.of().set("name", name).set("next_run_at", millis(nextRunAt)))) == 1;
    }

    @Override
    public int scheduleSlotPrune(String name, Duration retention) {
        return db.withConnection("slot pruning of schedule " + name, c -> db.update(c, "scheduleSlotPrune",
                SqlParams.of().set("name", name).set("retention_ms", retention.toMillis())));
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static ScheduleRow map(ResultSet rs) throws SQLException {
        long lastJobId = rs.getLong("last_job_id");
        Long lastJob = rs.wasNull() ? null : lastJobId;
        return new ScheduleRow(
                rs.getString("name"),
                rs.getString("definition"),
                rs.getString("catch_up"),
                rs.getString("job_kind"),
                rs.getString("job_queue"),
                rs.getInt("job_priority"),
                rs.getString("job_payload"),
                rs.getInt("job_max_attempts"),
                rs.getBoolean("paused"),
                JobRows.instant(rs, "next_run_at"),
                JobRows.instant(rs, "last_slot_at"),
                JobRows.instant(rs, "last_run_at"),
                lastJob);
    }
}
