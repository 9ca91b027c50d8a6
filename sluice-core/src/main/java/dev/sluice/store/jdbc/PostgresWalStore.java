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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write-ahead log's store on PostgreSQL: one statement per kind of entry, with the rows as
 * arrays ({@code unnest}). Each statement claims its entries in the guard table
 * ({@code ON CONFLICT DO NOTHING}) and applies only those it claimed, all in one transaction,
 * with a NOTIFY so that idle nodes fetch the jobs it inserted. Thread-safe.
 */
final class PostgresWalStore extends JdbcWalStore {

    PostgresWalStore(JdbcExecutor db) {
        super(db);
    }

    @Override
    protected WalApplied apply(Connection c, WalBatch batch) throws SQLException {
        long log = batch.logId();
        List<Long> jobs = batch.jobs().isEmpty() ? List.of() : insertJobs(c, log, batch.jobs());
        List<Long> activities = batch.activities().isEmpty() ? List.of() : insertActivities(c, log, batch.activities());
        Map<Long, String> finished = batch.finishes().isEmpty() ? Map.of() : finish(c, log, batch.finishes());
        return new WalApplied(jobs, activities, finished);
    }

    private List<Long> insertJobs(Connection c, long log, List<WalEntry<NewJob>> entries) throws SQLException {
        int n = entries.size();
        List<Long> ids = new ArrayList<>(n);
        List<String> kinds = new ArrayList<>(n);
        List<String> queues = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<Integer> priorities = new ArrayList<>(n);
        List<String> payloads = new ArrayList<>(n);
        List<String> tags = new ArrayList<>(n);
        List<Integer> maxAttempts = new ArrayList<>(n);
        List<Long> runAts = new ArrayList<>(n);
        List<Long> delays = new ArrayList<>(n);
        for (WalEntry<NewJob> e : entries) {
            NewJob j = e.value();
            ids.add(e.entryId());
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
        List<Long> fresh = db.query(c, "walJobInsertMany", SqlParams.of()
                .set("log_id", log)
                .set("entry_ids", SqlList.bigint(ids))
                .set("kinds", SqlList.text(kinds))
                .set("queues", SqlList.text(queues))
                .set("states", SqlList.text(states))
                .set("priorities", SqlList.integer(priorities))
                .set("payloads", SqlList.text(payloads))
                .set("tags", SqlList.text(tags))
                .set("max_attempts", SqlList.integer(maxAttempts))
                .set("run_ats", SqlList.bigint(runAts))
                .set("delays", SqlList.bigint(delays)), rs -> rs.getLong(1));
        if (!fresh.isEmpty()) {
            Set<Long> applied = new HashSet<>(fresh);
            Set<String> notify = new LinkedHashSet<>();
            for (WalEntry<NewJob> e : entries) {
                if (applied.contains(e.entryId())) {
                    notify.add(e.value().queue());
                }
            }
            db.query(c, "jobNotify", SqlParams.of().set("queues", SqlList.text(List.copyOf(notify))), rs -> null);
        }
        return fresh;
    }

    private List<Long> insertActivities(Connection c, long log, List<WalEntry<NewActivity>> entries)
            throws SQLException {
        int n = entries.size();
        List<Long> ids = new ArrayList<>(n);
        List<Long> jobIds = new ArrayList<>(n);
        List<Long> batchIds = new ArrayList<>(n);
        List<String> actions = new ArrayList<>(n);
        List<String> messages = new ArrayList<>(n);
        List<String> nodes = new ArrayList<>(n);
        List<Long> loggedAts = new ArrayList<>(n);
        for (WalEntry<NewActivity> e : entries) {
            NewActivity a = e.value();
            ids.add(e.entryId());
            jobIds.add(a.jobId());
            batchIds.add(a.batchId());
            actions.add(a.action());
            messages.add(a.message());
            nodes.add(a.node());
            loggedAts.add(a.loggedAtMillis());
        }
        return db.query(c, "walActivityInsertMany", SqlParams.of()
                .set("log_id", log)
                .set("entry_ids", SqlList.bigint(ids))
                .set("job_ids", SqlList.bigint(jobIds))
                .set("batch_ids", SqlList.bigint(batchIds))
                .set("actions", SqlList.text(actions))
                .set("messages", SqlList.text(messages))
                .set("nodes", SqlList.text(nodes))
                .set("logged_ats", SqlList.bigint(loggedAts)), rs -> rs.getLong(1));
    }

    private Map<Long, String> finish(Connection c, long log, List<WalEntry<WalFinish>> entries) throws SQLException {
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
                .set("log_id", log)
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
