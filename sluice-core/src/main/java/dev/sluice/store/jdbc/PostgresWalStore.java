package dev.sluice.store.jdbc;

import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NewJob;
import dev.sluice.store.WalApplied;
import dev.sluice.store.WalBatch;
import dev.sluice.store.WalEntry;
import dev.sluice.store.WalFinish;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write-ahead log's store on PostgreSQL, with the rows bound as arrays ({@code unnest}). One
 * transaction per batch: claim every entry in the guard ({@code INSERT … ON CONFLICT DO NOTHING
 * RETURNING}), then apply the claimed ones with one statement per kind of record, and NOTIFY
 * for the jobs inserted. A concurrent claim of the same entry waits for the other transaction and
 * then gets nothing back, so an entry never takes effect twice. Thread-safe.
 */
final class PostgresWalStore extends JdbcWalStore {

    PostgresWalStore(JdbcExecutor db) {
        super(db);
    }

    @Override
    protected WalApplied apply(Connection c, WalBatch batch) throws SQLException {
        List<Long> all = new ArrayList<>(batch.size());
        batch.jobs().forEach(e -> all.add(e.entryId()));
        batch.activities().forEach(e -> all.add(e.entryId()));
        batch.finishes().forEach(e -> all.add(e.entryId()));
        Set<Long> fresh = new HashSet<>(db.query(c, "walAppliedClaim",
                SqlParams.of().set("log_id", batch.logId()).set("entry_ids", SqlList.bigint(all)), rs -> rs.getLong(1)));
        if (fresh.isEmpty()) {
            return new WalApplied(List.of(), List.of(), Map.of());
        }

        List<Long> jobEntries = new ArrayList<>();
        List<NewJob> jobs = new ArrayList<>();
        for (WalEntry<NewJob> e : batch.jobs()) {
            if (fresh.contains(e.entryId())) {
                jobEntries.add(e.entryId());
                jobs.add(e.value());
            }
        }
        if (!jobs.isEmpty()) {
            db.query(c, "jobInsertMany", PostgresJobStore.insertManyParams(jobs), rs -> null);
            PostgresJobStore.notifyQueues(db, c, jobs);
        }

        List<Long> activityEntries = new ArrayList<>();
        List<NewActivity> activities = new ArrayList<>();
        for (WalEntry<NewActivity> e : batch.activities()) {
            if (fresh.contains(e.entryId())) {
                activityEntries.add(e.entryId());
                activities.add(e.value());
            }
        }
        if (!activities.isEmpty()) {
            insertActivities(c, activities, activityEntries);
        }

        List<WalEntry<WalFinish>> finishes = batch.finishes().stream().filter(e -> fresh.contains(e.entryId())).toList();
        Map<Long, String> finished = finishes.isEmpty() ? Map.of() : finish(c, finishes);
        return new WalApplied(jobEntries, activityEntries, finished);
    }

    private void insertActivities(Connection c, List<NewActivity> activities, List<Long> seqs) throws SQLException {
        int n = activities.size();
        List<Long> jobIds = new ArrayList<>(n);
        List<Long> batchIds = new ArrayList<>(n);
        List<String> actions = new ArrayList<>(n);
        List<String> messages = new ArrayList<>(n);
        List<String> nodes = new ArrayList<>(n);
        List<Long> loggedAts = new ArrayList<>(n);
        for (NewActivity a : activities) {
            jobIds.add(a.jobId());
            batchIds.add(a.batchId());
            actions.add(a.action());
            messages.add(a.message());
            nodes.add(a.node());
            loggedAts.add(a.loggedAtMillis());
        }
        db.update(c, "activityInsertMany", SqlParams.of()
                .set("job_ids", SqlList.bigint(jobIds))
                .set("batch_ids", SqlList.bigint(batchIds))
                .set("actions", SqlList.text(actions))
                .set("messages", SqlList.text(messages))
                .set("nodes", SqlList.text(nodes))
                .set("logged_ats", SqlList.bigint(loggedAts))
                .set("seqs", SqlList.bigint(seqs)));
    }

    private Map<Long, String> finish(Connection c, List<WalEntry<WalFinish>> entries) throws SQLException {
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
