package dev.sluice.store.jdbc;

import dev.sluice.job.Activity;
import dev.sluice.job.ActivityQuery;
import dev.sluice.store.ActivityStore;
import dev.sluice.store.NewActivity;
import java.time.Instant;
import java.util.List;

/** Activity logs on JDBC, the same on every dialect. Thread-safe. */
final class JdbcActivityStore implements ActivityStore {
    private final JdbcExecutor db;

    JdbcActivityStore(JdbcExecutor db) {
        this.db = db;
    }

    /** Parameters of {@code activityInsert}; {@code seq} is the log entry id, 0 when written directly. */
    static SqlParams insertParams(NewActivity a, long seq) {
        return SqlParams.of()
                .set("seq", seq)
                .set("job_id", a.jobId())
                .set("batch_id", a.batchId())
                .set("action", a.action())
                .set("message", a.message())
                .set("node", a.node())
                .set("logged_at", a.loggedAtMillis());
    }

    @Override
    public void activityInsert(NewActivity activity) {
        db.withConnection("activity log insert", c -> db.update(c, "activityInsert", insertParams(activity, 0)));
    }

    @Override
    public List<Activity> activityList(ActivityQuery q) {
        boolean byJob = q.jobId() != null;
        SqlParams params = SqlParams.of().set("after_at", q.afterLoggedAtMillis()).set("after_seq", q.afterSeq())
                .set("after_id", q.afterId()).set("limit", q.limit());
        params = byJob ? params.set("job_id", q.jobId()) : params.set("batch_id", q.batchId());
        SqlParams p = params;
        return db.withConnection("activity log read", c -> db.query(c, byJob ? "activityListByJob" : "activityListByBatch",
                p, rs -> new Activity(
                        rs.getLong("id"),
                        nullableLong(rs, "job_id"),
                        nullableLong(rs, "batch_id"),
                        rs.getString("action"),
                        rs.getString("message"),
                        rs.getString("node"),
                        Instant.ofEpochMilli(rs.getLong("logged_at")),
                        rs.getLong("seq"))));
    }

    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
