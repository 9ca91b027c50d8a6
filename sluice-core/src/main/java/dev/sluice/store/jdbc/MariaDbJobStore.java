package dev.sluice.store.jdbc;

import dev.sluice.internal.Json;
import dev.sluice.job.Job;
import dev.sluice.store.FetchParams;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import dev.sluice.store.NewJob;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MariaDB's job store. MariaDB has no {@code UPDATE … RETURNING}, so a claim is three
 * statements in one transaction: lock candidates with {@code SKIP LOCKED}, mark them running,
 * read them back. Many jobs are inserted, and a batch of completions written, with one statement
 * per chunk, from a JSON array read with {@code JSON_TABLE}. Thread-safe.
 */
final class MariaDbJobStore extends JdbcJobStore {
    /** Keeps one statement well under MariaDB's default 16 MB max_allowed_packet. */
    private static final int MAX_CHUNK_CHARS = 4 << 20;

    MariaDbJobStore(JdbcExecutor db) {
        super(db);
    }

    @Override
    protected List<Long> insertMany(Connection c, List<NewJob> jobs) throws SQLException {
        List<Long> ids = new ArrayList<>(jobs.size());
        List<Map<String, Object>> chunk = new ArrayList<>();
        int chars = 0;
        for (NewJob job : jobs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kind", job.kind());
            row.put("queue", job.queue());
            row.put("state", job.state());
            row.put("priority", job.priority());
            row.put("payload", job.payload());
            row.put("tags", job.tags());
            row.put("max_attempts", job.maxAttempts());
            row.put("run_at", job.runAtMillis());
            row.put("delay_ms", job.delayMillis());
            int size = job.payload().length() + job.tags().length() + job.kind().length() + 200;
            if (!chunk.isEmpty() && chars + size > MAX_CHUNK_CHARS) {
                ids.addAll(insertChunk(c, chunk));
                chunk.clear();
                chars = 0;
            }
            chunk.add(row);
            chars += size;
        }
        if (!chunk.isEmpty()) {
            ids.addAll(insertChunk(c, chunk));
        }
        return ids;
    }

    /** Ids in the order of {@code rows}: rows are inserted in array order, so ids ascend with it. */
    private List<Long> insertChunk(Connection c, List<Map<String, Object>> rows) throws SQLException {
        List<Long> ids = new ArrayList<>(db.query(c, "jobInsertMany",
                SqlParams.of().set("jobs", Json.write(rows)), rs -> rs.getLong(1)));
        if (ids.size() != rows.size()) {
            throw new SQLException("inserted " + ids.size() + " job(s) of " + rows.size());
        }
        Collections.sort(ids);
        return ids;
    }

    /**
     * Locks the batch's jobs that this node still holds (learning which were cancelled meanwhile),
     * then writes them all with one multi-table update, in one transaction.
     */
    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        if (finishes.isEmpty()) {
            return List.of();
        }
        return db.inTransaction("completion of " + finishes.size() + " job(s)", c -> {
            List<Long> ids = new ArrayList<>(finishes.size());
            List<Map<String, Object>> rows = new ArrayList<>(finishes.size());
            int chars = 0;
            for (JobFinish f : finishes) {
                ids.add(f.id());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", f.id());
                row.put("state", f.state());
                row.put("retry_delay_ms", f.retryDelayMillis());
                row.put("result", f.result());
                row.put("errors", f.errors());
                rows.add(row);
                chars += 100 + (f.result() == null ? 0 : f.result().length()) + (f.errors() == null ? 0 : f.errors().length());
            }
            Map<Long, Boolean> held = new HashMap<>();
            db.query(c, "jobFinishLockMany", SqlParams.of().set("ids", SqlList.bigint(ids)).set("owner", owner),
                    rs -> held.put(rs.getLong(1), rs.getBoolean(2)));
            if (!held.isEmpty()) {
                // Large results or error histories: split so that no statement nears max_allowed_packet.
                int parts = 1 + chars / MAX_CHUNK_CHARS;
                int size = (rows.size() + parts - 1) / parts;
                for (int from = 0; from < rows.size(); from += size) {
                    db.update(c, "jobFinishMany", SqlParams.of()
                            .set("finishes", Json.write(rows.subList(from, Math.min(rows.size(), from + size))))
                            .set("owner", owner));
                }
            }
            List<FinishResult> results = new ArrayList<>(finishes.size());
            for (JobFinish f : finishes) {
                Boolean cancelled = held.get(f.id());
                results.add(cancelled == null ? new FinishResult(f.id(), false, null)
                        : new FinishResult(f.id(), true, cancelled ? "cancelled" : f.state()));
            }
            return results;
        });
    }

    @Override
    public List<Job> jobFetchAvailable(FetchParams p) {
        return sorted(db.inTransaction("fetch from queue " + p.queue(), c -> {
            List<Long> ids = db.query(c, "jobFetchCandidates", fetchParams(p), rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return List.<Job>of();
            }
            SqlParams byIds = SqlParams.of().set("ids", SqlList.bigint(ids));
            db.update(c, "jobClaim", fetchParams(p).set("ids", SqlList.bigint(ids)));
            return db.query(c, "jobGetMany", byIds, JobRows::map);
        }));
    }
}
