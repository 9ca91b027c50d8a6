package dev.sluice.store.jdbc;

import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import dev.sluice.store.NewJob;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's job store: many rows per statement through arrays ({@code unnest}), and a
 * NOTIFY in the enqueueing transaction so that idle nodes wake when it commits. Thread-safe.
 */
final class PostgresJobStore extends JdbcJobStore {

    PostgresJobStore(JdbcExecutor db) {
        super(db);
    }

    @Override
    protected List<Long> insertMany(Connection c, List<NewJob> jobs) throws SQLException {
        List<Long> ids = db.query(c, "jobInsertMany", insertManyParams(jobs), rs -> rs.getLong(1));
        notifyQueues(db, c, jobs);
        return ids;
    }

    /** The parameters of {@code jobInsertMany}: one array per column. */
    static SqlParams insertManyParams(List<NewJob> jobs) {
        int n = jobs.size();
        List<String> kinds = new ArrayList<>(n);
        List<String> queues = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<Integer> priorities = new ArrayList<>(n);
        List<String> payloads = new ArrayList<>(n);
        List<String> tags = new ArrayList<>(n);
        List<Integer> maxAttempts = new ArrayList<>(n);
        List<Long> runAts = new ArrayList<>(n);
        List<Long> delays = new ArrayList<>(n);
        for (NewJob j : jobs) {
            kinds.add(j.kind());
            queues.add(j.queue());
            states.add(j.state());
            priorities.add(j.priority());
            payloads.add(j.payload());
            tags.add(j.tags());
            maxAttempts.add(j.maxAttempts());
            runAts.add(j.runAtMillis());
            delays.add(j.delayMillis());
        }
        return SqlParams.of()
                .set("kinds", SqlList.text(kinds))
                .set("queues", SqlList.text(queues))
                .set("states", SqlList.text(states))
                .set("priorities", SqlList.integer(priorities))
                .set("payloads", SqlList.text(payloads))
                .set("tags", SqlList.text(tags))
                .set("max_attempts", SqlList.integer(maxAttempts))
                .set("run_ats", SqlList.bigint(runAts))
                .set("delays", SqlList.bigint(delays));
    }

    /** NOTIFY in the inserting transaction: idle nodes fetch the jobs when it commits. */
    static void notifyQueues(JdbcExecutor db, Connection c, List<NewJob> jobs) throws SQLException {
        LinkedHashSet<String> notify = new LinkedHashSet<>();
        for (NewJob j : jobs) {
            notify.add(j.queue());
        }
        db.query(c, "jobNotify", SqlParams.of().set("queues", SqlList.text(List.copyOf(notify))), rs -> null);
    }

    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        if (finishes.isEmpty()) {
            return List.of();
        }
        int n = finishes.size();
        List<Long> ids = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<Long> delays = new ArrayList<>(n);
        List<String> results = new ArrayList<>(n);
        List<String> errors = new ArrayList<>(n);
        for (JobFinish f : finishes) {
            ids.add(f.id());
            states.add(f.state());
            delays.add(f.retryDelayMillis());
            results.add(f.result());
            errors.add(f.errors());
        }
        Map<Long, String> applied = new HashMap<>();
        db.withConnection("completion of " + n + " job(s)", c -> db.query(c, "jobFinishMany", SqlParams.of()
                .set("ids", SqlList.bigint(ids))
                .set("states", SqlList.text(states))
                .set("retry_delays", SqlList.bigint(delays))
                .set("results", SqlList.text(results))
                .set("errors", SqlList.text(errors))
                .set("owner", owner), rs -> applied.put(rs.getLong(1), rs.getString(2))));
        List<FinishResult> out = new ArrayList<>(n);
        for (JobFinish f : finishes) {
            String state = applied.get(f.id());
            out.add(new FinishResult(f.id(), state != null, state));
        }
        return out;
    }

    @Override
    protected void afterCancelRequested(Connection c, long id) throws SQLException {
        db.query(c, "jobNotifyCancel", SqlParams.of().set("id", id), rs -> null);
    }
}
