package dev.sluice.store.jdbc;

import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NewJob;
import dev.sluice.store.WalEntry;
import dev.sluice.store.WalFinish;
import dev.sluice.store.WalFlush;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The write-ahead log's store on PostgreSQL: the guard of {@link JdbcWalStore}; the activities of
 * a transaction by one binary COPY ({@link PostgresActivityCopy}); jobs and completions one
 * statement per batch, bound as arrays ({@code unnest}), with NOTIFY for the jobs inserted.
 * Thread-safe.
 */
final class PostgresWalStore extends JdbcWalStore {

    PostgresWalStore(JdbcExecutor db) {
        super(db);
    }

    /**
     * The guard in one round trip ({@code walAppliedRangeClaim}) when the ids run without a gap and
     * nothing of them was applied before: the usual transaction, which otherwise paid three
     * (lock, ranges, insert). A gap, a replay or a pruned mark falls back to claiming run by run.
     */
    @Override
    protected WalClaim claim(Connection c, WalFlush flush, long[] ids) throws SQLException {
        long first = ids[0];
        long last = ids[ids.length - 1];
        if (last - first + 1 != ids.length) {
            return super.claim(c, flush, ids);
        }
        long[] log = new long[3]; // pruned_through, opened, claimed
        List<long[]> ranges = new ArrayList<>();
        List<Boolean> rows = db.query(c, "walAppliedRangeClaim", SqlParams.of().set("log_id", flush.logId())
                .set("first_id", first).set("last_id", last).set("opened", flush.opened()), rs -> {
                    log[0] = rs.getLong(1);
                    log[1] = rs.getLong(2);
                    log[2] = rs.getBoolean(3) ? 1 : 0;
                    long rangeFirst = rs.getLong(4);
                    if (!rs.wasNull()) {
                        ranges.add(new long[] {rangeFirst, rs.getLong(5)});
                    }
                    return true;
                });
        checkOpening(flush, rows.isEmpty() ? null : log[1]);
        if (log[2] == 1) {
            return WalClaim.run(first, last);
        }
        return claimRuns(c, flush.logId(), ids, log[0], ranges);
    }

    @Override
    protected void insertJobs(Connection c, List<WalEntry<NewJob>> entries) throws SQLException {
        List<NewJob> jobs = entries.stream().map(WalEntry::value).toList();
        db.query(c, "jobInsertMany", PostgresJobStore.insertManyParams(jobs), rs -> null);
        PostgresJobStore.notifyQueues(db, c, jobs);
    }

    @Override
    protected void insertActivities(Connection c, List<List<WalEntry<NewActivity>>> batches) throws SQLException {
        PostgresActivityCopy.copy(db, c, batches);
    }

    @Override
    protected Map<Long, String> finish(Connection c, List<WalEntry<WalFinish>> entries) throws SQLException {
        int n = entries.size();
        List<Long> ids = new ArrayList<>(n);
        List<Long> jobIds = new ArrayList<>(n);
        List<String> owners = new ArrayList<>(n);
        List<Integer> attempts = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<Long> delays = new ArrayList<>(n);
        List<String> results = new ArrayList<>(n);
        List<String> errors = new ArrayList<>(n);
        for (WalEntry<WalFinish> e : entries) {
            JobFinish f = e.value().finish();
            ids.add(e.entryId());
            jobIds.add(f.id());
            owners.add(e.value().owner());
            attempts.add(e.value().attempt());
            states.add(f.state());
            delays.add(f.retryDelayMillis());
            results.add(f.result());
            errors.add(f.errors());
        }
        Map<Long, String> applied = new HashMap<>();
        db.query(c, "walJobFinishMany", SqlParams.of()
                .set("entry_ids", SqlList.bigint(ids))
                .set("ids", SqlList.bigint(jobIds))
                .set("owners", SqlList.text(owners))
                .set("attempts", SqlList.integer(attempts))
                .set("states", SqlList.text(states))
                .set("retry_delays", SqlList.bigint(delays))
                .set("results", SqlList.text(results))
                .set("errors", SqlList.text(errors)), rs -> applied.put(rs.getLong(1), rs.getString(2)));
        return applied;
    }
}
