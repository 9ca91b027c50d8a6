package dev.sluice.store.jdbc;

import dev.sluice.store.JobFinish;
import dev.sluice.store.NewActivity;
import dev.sluice.store.NewJob;
import dev.sluice.store.WalApplied;
import dev.sluice.store.WalBatch;
import dev.sluice.store.WalEntry;
import dev.sluice.store.WalFinish;
import dev.sluice.store.WalFlush;
import dev.sluice.store.WalStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The write-ahead log's store with batched statements (SQLite, MariaDB), and the guard every
 * dialect shares. One transaction per {@link WalFlush}: claim its entries in the guard, then
 * apply the claimed ones with one statement (a JDBC batch) per batch and kind of record;
 * completions one by one, since each is fenced and its outcome matters. Thread-safe.
 *
 * <h2>Why a range guard applies each entry at most once</h2>
 * The guard, {@code sluice_wal_applied_range}, holds ranges of entry ids of a log: every id of a
 * range was applied by the transaction that wrote the range, and nothing else. A transaction
 * reads the ranges overlapping its ids, drops its entries they cover (and those at or below the
 * log's pruned-through mark), writes one range per run of consecutive ids left, and applies those
 * entries. This is only safe if no two transactions claiming the same id ever run at the same
 * time: neither would see the other's uncommitted range, and unlike a row per entry, two ranges
 * cut differently (after a crash the log may be cut into batches at other places) do not collide
 * on a key. So:
 * <ol>
 *   <li>Within one process, the log's dispatcher reads each entry id once and puts it into exactly
 *       one batch, and a worker's transaction holds whole batches: concurrent transactions of one
 *       process have disjoint ids.</li>
 *   <li>One process at a time owns a log directory (its {@code LOCK} file), but that alone is not
 *       enough: a killed or closed process may leave a transaction in flight at the database (a
 *       COMMIT sent just before SIGKILL; a worker stuck in a call that close gave up waiting for),
 *       which could commit while the next owner replays the same entries. Hence the
 *       {@code opened} counter of {@code sluice_wal_log}: every flush transaction first reads the
 *       log's row under a share lock ({@code walLogLock}) and fails unless the counter is still the
 *       one its process got at {@link #walOpen}; opening increments the counter, which needs the
 *       row exclusively, so it waits until every transaction of earlier owners has ended, and
 *       none of theirs can pass the check afterwards. Concurrent flush transactions therefore
 *       always belong to one opening of the log, i.e. case 1. On SQLite, whose writers are
 *       serialised by the database lock and whose transactions die with their process, the share
 *       lock is not needed.</li>
 *   <li>Ranges never overlap: each is cut from ids that no committed range covered, and no
 *       concurrent transaction claims them. The primary key {@code (log_id, last_id)} turns a
 *       violation of this into a failed (and retried) transaction rather than a duplicate.</li>
 *   <li>Pruning deletes only ranges ending at or below a pruned-through mark that it raises in the
 *       same transaction, and entries at or below that mark count as applied, so no entry loses
 *       its guard.</li>
 * </ol>
 */
class JdbcWalStore implements WalStore {
    protected final JdbcExecutor db;

    JdbcWalStore(JdbcExecutor db) {
        this.db = db;
    }

    @Override
    public long walOpen(long logId) {
        return db.inTransaction("WAL log opening", c -> {
            SqlParams params = SqlParams.of().set("log_id", logId);
            db.update(c, "walLogOpen", params);
            return db.query(c, "walLogGet", params, rs -> rs.getLong(2)).getFirst();
        });
    }

    @Override
    public WalApplied walApply(WalFlush flush) {
        if (flush.size() == 0) {
            return new WalApplied(List.of(), List.of(), Map.of());
        }
        return db.inTransaction("WAL flush of " + flush.size() + " entries", c -> apply(c, flush));
    }

    private WalApplied apply(Connection c, WalFlush flush) throws SQLException {
        WalClaim claim = claim(c, flush, ids(flush));
        List<WalBatch> fresh = new ArrayList<>(flush.batches().size());
        for (WalBatch b : flush.batches()) {
            WalBatch f = claim.all() ? b : b.only(claim::fresh);
            if (f.size() > 0) {
                fresh.add(f);
            }
        }
        List<Long> jobs = new ArrayList<>();
        List<List<WalEntry<NewActivity>>> activities = new ArrayList<>();
        List<Long> activityEntries = new ArrayList<>();
        Map<Long, String> finished = new HashMap<>();
        for (WalBatch b : fresh) {
            if (!b.jobs().isEmpty()) {
                insertJobs(c, b.jobs());
                b.jobs().forEach(e -> jobs.add(e.entryId()));
            }
            if (!b.activities().isEmpty()) {
                activities.add(b.activities());
                b.activities().forEach(e -> activityEntries.add(e.entryId()));
            }
        }
        if (!activities.isEmpty()) {
            insertActivities(c, activities);
        }
        for (WalBatch b : fresh) {
            if (!b.finishes().isEmpty()) {
                finished.putAll(finish(c, b.finishes()));
            }
        }
        return new WalApplied(jobs, activityEntries, finished);
    }

    /**
     * Checks the log's opening, reads the guard and claims the entries it does not cover
     * ({@code walLogLock}, {@code walAppliedRanges}, {@code walAppliedRangeInsert}).
     *
     * @param ids the transaction's entry ids, ascending
     */
    protected WalClaim claim(Connection c, WalFlush flush, long[] ids) throws SQLException {
        long log = flush.logId();
        List<long[]> row = db.query(c, "walLogLock", SqlParams.of().set("log_id", log),
                rs -> new long[] {rs.getLong(1), rs.getLong(2)});
        checkOpening(flush, row.isEmpty() ? null : row.getFirst()[1]);
        List<long[]> ranges = db.query(c, "walAppliedRanges", SqlParams.of().set("log_id", log)
                .set("first_id", ids[0]).set("last_id", ids[ids.length - 1]), rs -> new long[] {rs.getLong(1), rs.getLong(2)});
        return claimRuns(c, log, ids, row.getFirst()[0], ranges);
    }

    /**
     * Fails unless the log's opening in the database ({@code null} when the log has no row) is
     * the one this process holds.
     */
    protected static void checkOpening(WalFlush flush, Long opened) {
        if (opened == null || opened != flush.opened()) {
            throw new IllegalStateException("write-ahead log " + Long.toHexString(flush.logId()) + " was opened again"
                    + " (opening " + (opened == null ? "none" : opened) + ", this process holds " + flush.opened()
                    + "), by another process or from a copy of its directory: this one no longer flushes it, so that"
                    + " no entry is applied twice");
        }
    }

    /**
     * Claims the ids that neither the pruned-through mark nor the guard's overlapping ranges
     * cover, one range per run of consecutive ids ({@code walAppliedRangeInsert}).
     */
    protected WalClaim claimRuns(Connection c, long log, long[] ids, long prunedThrough, List<long[]> ranges)
            throws SQLException {
        WalClaim claim = WalClaim.of(ids, prunedThrough, ranges);
        List<SqlParams> rows = new ArrayList<>();
        for (long[] run : claim.runs()) {
            rows.add(SqlParams.of().set("log_id", log).set("first_id", run[0]).set("last_id", run[1]));
        }
        db.batch(c, "walAppliedRangeInsert", rows);
        return claim;
    }

    private static long[] ids(WalFlush flush) {
        long[] ids = new long[flush.size()];
        int n = 0;
        for (WalBatch b : flush.batches()) {
            for (WalEntry<?> e : b.jobs()) {
                ids[n++] = e.entryId();
            }
            for (WalEntry<?> e : b.activities()) {
                ids[n++] = e.entryId();
            }
            for (WalEntry<?> e : b.finishes()) {
                ids[n++] = e.entryId();
            }
        }
        java.util.Arrays.sort(ids); // a batch lists its entries by kind
        return ids;
    }

    /** Inserts one batch's buffered jobs (all claimed) with one statement. */
    protected void insertJobs(Connection c, List<WalEntry<NewJob>> jobs) throws SQLException {
        List<SqlParams> rows = new ArrayList<>(jobs.size());
        for (WalEntry<NewJob> e : jobs) {
            rows.add(JdbcJobStore.insertParams(e.value()));
        }
        db.batch(c, "walJobInsert", rows);
    }

    /**
     * Inserts the activities of the transaction's batches (all claimed), here one statement per
     * batch; PostgreSQL copies them all at once.
     */
    protected void insertActivities(Connection c, List<List<WalEntry<NewActivity>>> batches) throws SQLException {
        for (List<WalEntry<NewActivity>> batch : batches) {
            List<SqlParams> rows = new ArrayList<>(batch.size());
            for (WalEntry<NewActivity> e : batch) {
                rows.add(JdbcActivityStore.insertParams(e.value(), e.entryId()));
            }
            db.batch(c, "activityInsert", rows);
        }
    }

    /** Applies one batch's completions (all claimed); returns the state written by entry id. */
    protected Map<Long, String> finish(Connection c, List<WalEntry<WalFinish>> finishes) throws SQLException {
        Map<Long, String> finished = new HashMap<>();
        for (WalEntry<WalFinish> e : finishes) {
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
        return finished;
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
