package dev.sluice.store.jdbc;

import dev.sluice.job.CancelResult;
import dev.sluice.job.Job;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import dev.sluice.store.FetchParams;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import dev.sluice.store.JobRescue;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.QueueStateCount;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job store on JDBC, one row at a time where a dialect has nothing better. Dialects with
 * set-based statements override the many-row methods ({@link PostgresJobStore}) or the claim
 * ({@link MariaDbJobStore}). Thread-safe.
 */
class JdbcJobStore implements JobStore {
    /** Claimed jobs are handed out most urgent first, whatever order the database returned. */
    static final Comparator<Job> URGENCY = Comparator.comparingInt(Job::priority).reversed()
            .thenComparing(Job::runAt).thenComparingLong(Job::id);

    protected final JdbcExecutor db;

    JdbcJobStore(JdbcExecutor db) {
        this.db = db;
    }

    @Override
    public List<Long> jobInsertMany(Connection connection, List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        if (connection != null) {
            try {
                return insertMany(connection, jobs);
            } catch (SQLException e) {
                throw new StoreException("enqueue in the caller's transaction failed: " + e.getMessage(), e);
            }
        }
        return db.inTransaction("enqueue of " + jobs.size() + " job(s)", c -> insertMany(c, jobs));
    }

    /** Inserts in the current transaction of {@code c}. */
    protected List<Long> insertMany(Connection c, List<NewJob> jobs) throws SQLException {
        List<Long> ids = new ArrayList<>(jobs.size());
        try (JdbcExecutor.Reused insert = db.reuse(c, "jobInsert")) {
            for (NewJob job : jobs) {
                ids.add(insert.query(insertParams(job), rs -> rs.getLong(1)).getFirst());
            }
        }
        return ids;
    }

    static SqlParams insertParams(NewJob job) {
        return SqlParams.of()
                .set("kind", job.kind())
                .set("queue", job.queue())
                .set("state", job.state())
                .set("priority", job.priority())
                .set("payload", job.payload())
                .set("tags", job.tags())
                .set("max_attempts", job.maxAttempts())
                .set("run_at", job.runAtMillis())
                .set("delay_ms", job.delayMillis());
    }

    @Override
    public List<Job> jobFetchAvailable(FetchParams p) {
        List<Job> jobs = db.inTransaction("fetch from queue " + p.queue(),
                c -> db.query(c, "jobFetchAvailable", fetchParams(p), JobRows::map));
        return sorted(jobs);
    }

    static SqlParams fetchParams(FetchParams p) {
        return SqlParams.of()
                .set("queue", p.queue())
                .set("kinds", SqlList.text(p.kinds()))
                .set("limit", p.limit())
                .set("owner", p.owner())
                .set("lease_ms", p.leaseMillis());
    }

    static List<Job> sorted(List<Job> jobs) {
        List<Job> copy = new ArrayList<>(jobs);
        copy.sort(URGENCY);
        return copy;
    }

    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        if (finishes.isEmpty()) {
            return List.of();
        }
        return db.inTransaction("completion of " + finishes.size() + " job(s)", c -> {
            List<FinishResult> results = new ArrayList<>(finishes.size());
            try (JdbcExecutor.Reused finish = db.reuse(c, "jobFinish");
                 JdbcExecutor.Reused finishCancelled = db.reuse(c, "jobFinishCancelled")) {
                for (JobFinish f : finishes) {
                    SqlParams params = SqlParams.of()
                            .set("id", f.id())
                            .set("owner", owner)
                            .set("state", f.state())
                            .set("retry_delay_ms", f.retryDelayMillis())
                            .set("result", f.result())
                            .set("errors", f.errors());
                    if (finish.update(params) == 1) {
                        results.add(new FinishResult(f.id(), true, f.state()));
                    } else if (finishCancelled.update(params) == 1) {
                        results.add(new FinishResult(f.id(), true, "cancelled"));
                    } else {
                        results.add(new FinishResult(f.id(), false, null));
                    }
                }
            }
            return results;
        });
    }

    @Override
    public boolean jobHandBack(long id, String owner) {
        return db.withConnection("hand-back of job " + id,
                c -> db.update(c, "jobHandBack", SqlParams.of().set("id", id).set("owner", owner))) == 1;
    }

    @Override
    public int jobRenewLeases(String owner, Duration lease) {
        return db.withConnection("lease renewal",
                c -> db.update(c, "jobRenewLeases", SqlParams.of().set("owner", owner).set("lease_ms", lease.toMillis())));
    }

    @Override
    public List<Long> jobCancelRequested(String owner) {
        return db.withConnection("cancel check",
                c -> db.query(c, "jobCancelRequested", SqlParams.of().set("owner", owner), rs -> rs.getLong(1)));
    }

    @Override
    public void jobProgressMany(String owner, Map<Long, Progress> progress) {
        if (progress.isEmpty()) {
            return;
        }
        db.inTransaction("progress of " + progress.size() + " job(s)", c -> {
            for (var e : progress.entrySet()) {
                db.update(c, "jobProgress", SqlParams.of().set("id", e.getKey()).set("owner", owner)
                        .set("progress", e.getValue().fraction()).set("message", e.getValue().message()));
            }
            return null;
        });
    }

    @Override
    public CancelResult jobCancel(long id) {
        return db.inTransaction("cancel of job " + id, c -> {
            SqlParams params = SqlParams.of().set("id", id);
            if (db.update(c, "jobCancelWaiting", params) == 1) {
                return CancelResult.CANCELLED;
            }
            if (db.update(c, "jobCancelRunning", params) == 1) {
                afterCancelRequested(c, id);
                return CancelResult.REQUESTED;
            }
            return CancelResult.NOT_CANCELLABLE;
        });
    }

    /** Lets a dialect tell other nodes at once that a running job was cancelled. */
    protected void afterCancelRequested(Connection c, long id) throws SQLException {
    }

    @Override
    public boolean jobRetry(long id) {
        return db.withConnection("retry of job " + id, c -> db.update(c, "jobRetry", SqlParams.of().set("id", id))) == 1;
    }

    @Override
    public boolean jobDelete(long id) {
        return db.withConnection("delete of job " + id, c -> db.update(c, "jobDelete", SqlParams.of().set("id", id))) == 1;
    }

    @Override
    public Optional<Job> jobGet(long id) {
        return db.withConnection("read of job " + id,
                c -> db.query(c, "jobGet", SqlParams.of().set("id", id), JobRows::map)).stream().findFirst();
    }

    @Override
    public JobPage jobList(JobQuery q) {
        List<Job> rows = db.withConnection("job listing", c -> db.query(c, "jobList", SqlParams.of()
                .set("state", q.state() == null ? null : q.state().dbName())
                .set("kind", q.kind())
                .set("queue", q.queue())
                .set("before_id", q.beforeId())
                .set("limit", q.limit() + 1), JobRows::map));
        boolean more = rows.size() > q.limit();
        List<Job> page = more ? rows.subList(0, q.limit()) : rows;
        return new JobPage(page, more ? page.getLast().id() : null);
    }

    @Override
    public List<QueueStateCount> jobCountByQueueAndState() {
        return db.withConnection("job counts", c -> db.query(c, "jobCountByQueueAndState", SqlParams.of(),
                rs -> new QueueStateCount(rs.getString(1), rs.getString(2), rs.getLong(3))));
    }

    @Override
    public Optional<Instant> jobNextRunAt(String queue, List<String> kinds) {
        return db.withConnection("next run time", c -> db.query(c, "jobNextRunAt",
                SqlParams.of().set("queue", queue).set("kinds", SqlList.text(kinds)),
                rs -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
                })).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public List<String> jobWaitingKinds() {
        return db.withConnection("waiting kinds", c -> db.query(c, "jobWaitingKinds", SqlParams.of(), rs -> rs.getString(1)));
    }

    @Override
    public List<Job> jobExpiredLeases(int limit) {
        return db.withConnection("expired lease scan",
                c -> db.query(c, "jobExpiredLeases", SqlParams.of().set("limit", limit), JobRows::map));
    }

    @Override
    public boolean jobRescue(JobRescue r) {
        return db.withConnection("rescue of job " + r.id(), c -> db.update(c, "jobRescue", SqlParams.of()
                .set("id", r.id())
                .set("owner", r.expiredOwner())
                .set("state", r.state())
                .set("retry_delay_ms", r.retryDelayMillis())
                .set("errors", r.errors()))) == 1;
    }

    @Override
    public int jobPruneFinished(Duration retention, int limit) {
        return db.withConnection("retention pruning", c -> db.update(c, "jobPruneFinished",
                SqlParams.of().set("retention_ms", retention.toMillis()).set("limit", limit)));
    }

    @Override
    public Instant now() {
        return db.withConnection("clock read",
                c -> db.query(c, "dbNow", SqlParams.of(), rs -> Instant.ofEpochMilli(rs.getLong(1))).getFirst());
    }
}
