package dev.sluice.store.jdbc;

import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NewJob;
import dev.sluice.store.WalApplied;
import dev.sluice.store.WalBatch;
import dev.sluice.store.WalEntry;
import dev.sluice.store.WalFinish;
import dev.sluice.store.WalStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The write-ahead log's store with batched statements (SQLite, MariaDB). One transaction per
 * batch: read which entries the guard already has, claim the rest with a batched insert, then
 * apply them with batched inserts (completions one by one, since each is fenced and its outcome
 * matters). A concurrent claim of the same entry fails on the guard's primary key and rolls the
 * whole transaction back, so an entry never takes effect twice. Thread-safe.
 */
class JdbcWalStore implements WalStore {
    protected final JdbcExecutor db;

    JdbcWalStore(JdbcExecutor db) {
        this.db = db;
    }

    @Override
    public WalApplied walApply(WalBatch batch) {
        if (batch.size() == 0) {
            return new WalApplied(List.of(), List.of(), Map.of());
        }
        return db.inTransaction("WAL flush of " + batch.size() + " entries", c -> apply(c, batch));
    }

    protected WalApplied apply(Connection c, WalBatch batch) throws SQLException {
        long log = batch.logId();
        Set<Long> fresh = fresh(c, batch);
        List<SqlParams> guard = new ArrayList<>(fresh.size());
        for (long id : fresh) {
            guard.add(SqlParams.of().set("log_id", log).set("entry_id", id));
        }
        db.batch(c, "walAppliedInsert", guard);

        List<Long> jobs = new ArrayList<>();
        List<SqlParams> jobRows = new ArrayList<>();
        for (WalEntry<NewJob> e : batch.jobs()) {
            if (fresh.contains(e.entryId())) {
                jobs.add(e.entryId());
                jobRows.add(JdbcJobStore.insertParams(e.value()));
            }
        }
        db.batch(c, "walJobInsert", jobRows);

        List<Long> activities = new ArrayList<>();
        List<SqlParams> activityRows = new ArrayList<>();
        for (WalEntry<NewActivity> e : batch.activities()) {
            if (fresh.contains(e.entryId())) {
                activities.add(e.entryId());
                activityRows.add(JdbcActivityStore.insertParams(e.value(), e.entryId()));
            }
        }
        db.batch(c, "activityInsert", activityRows);

        Map<Long, String> finished = new HashMap<>();
        for (WalEntry<WalFinish> e : batch.finishes()) {
            if (!fresh.contains(e.entryId())) {
                continue;
            }
            JobFinish f = e.value().finish();
            SqlParams params = SqlParams.of()
                    .set("id", f.id())
                    .set("owner", e.value().owner())
                    .set("attempt", e.value().attempt())
                    .set("state", f.state())
                    .set("retry_delay_ms", f.retryDelayMillis())
                    .set("result", f.result())
                    .set("errors", f.errors());
            if (db.update(c, "walJobFinish", params) == 1) {
                finished.put(e.entryId(), f.state());
            } else if (db.update(c, "walJobFinishCancelled", params) == 1) {
                finished.put(e.entryId(), "cancelled");
            }
        }
        return new WalApplied(jobs, activities, finished);
    }

    /** The entries of the batch the guard does not know yet. */
    private Set<Long> fresh(Connection c, WalBatch batch) throws SQLException {
        long log = batch.logId();
        long pruned = prunedThrough(c, log);
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        List<Long> ids = new ArrayList<>(batch.size());
        batch.jobs().forEach(e -> ids.add(e.entryId()));
        batch.activities().forEach(e -> ids.add(e.entryId()));
        batch.finishes().forEach(e -> ids.add(e.entryId()));
        for (long id : ids) {
            first = Math.min(first, id);
            last = Math.max(last, id);
        }
        Set<Long> known = new HashSet<>(db.query(c, "walAppliedInRange",
                SqlParams.of().set("log_id", log).set("first_id", first).set("last_id", last), rs -> rs.getLong(1)));
        Set<Long> fresh = new java.util.LinkedHashSet<>();
        for (long id : ids) {
            if (id > pruned && !known.contains(id)) {
                fresh.add(id);
            }
        }
        return fresh;
    }

    protected long prunedThrough(Connection c, long logId) throws SQLException {
        List<Long> rows = db.query(c, "walLogGet", SqlParams.of().set("log_id", logId), rs -> rs.getLong(1));
        return rows.isEmpty() ? 0 : rows.getFirst();
    }

    @Override
    public void walPrune(long logId, long throughEntryId) {
        db.inTransaction("WAL guard pruning", c -> {
            SqlParams params = SqlParams.of().set("log_id", logId).set("through", throughEntryId);
            db.update(c, "walLogPrune", params);
            return db.update(c, "walAppliedPrune", params);
        });
    }

    @Override
    public long walPrunedThrough(long logId) {
        return db.withConnection("WAL log read", c -> prunedThrough(c, logId));
    }
}
