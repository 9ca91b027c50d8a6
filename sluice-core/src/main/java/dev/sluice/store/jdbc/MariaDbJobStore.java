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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * MariaDB's job store. MariaDB has no {@code UPDATE … RETURNING}, so a claim is three
 * statements in one transaction: lock candidates with {@code SKIP LOCKED}, mark them running,
 * read them back. Many plain jobs are inserted with one statement per chunk, from a JSON array
 * read with {@code JSON_TABLE}; a completion batch is two. InnoDB locks index entries as well as
 * rows, so statements that change running jobs go by primary key in id order (renewals and
 * completions): two of them never wait on each other in a cycle. Thread-safe.
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
            row.put("job_key", job.key());
            row.put("stream", job.stream());
            row.put("stream_limit", job.streamLimit());
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
     * Two statements for a whole batch, in one transaction: lock the batch's jobs this node still
     * runs (id order) and read their attempts, then write every confirmed end with one UPDATE over
     * a JSON array. One statement per job made completions the bottleneck of a drain.
     */
    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        if (finishes.isEmpty()) {
            return List.of();
        }
        List<Long> ids = finishes.stream().map(JobFinish::id).sorted().distinct().toList();
        return db.inTransaction("completion of " + finishes.size() + " job(s)", c -> {
            // The streams' locks before the rows (see StreamGate): releasing a stream needs its lock.
            lockStreams(c, streamsOf(finishes));
            Map<Long, int[]> held = new java.util.HashMap<>();
            db.query(c, "jobFinishLock", SqlParams.of().set("ids", SqlList.bigint(ids)).set("owner", owner),
                    rs -> held.put(rs.getLong(1), new int[] {rs.getInt(2), rs.getBoolean(3) ? 1 : 0}));
            List<Map<String, Object>> rows = new ArrayList<>();
            List<FinishResult> out = new ArrayList<>(finishes.size());
            for (JobFinish f : finishes) {
                int[] h = held.get(f.id());
                if (h == null || h[0] != f.attempt()) {
                    out.add(new FinishResult(f.id(), false, null));
                    continue;
                }
                rows.add(finishRow(f));
                held.remove(f.id()); // written once: another end of the same attempt in the batch is refused
                out.add(new FinishResult(f.id(), true, h[1] == 1 ? "cancelled" : f.state()));
            }
            if (!rows.isEmpty()) {
                int written = db.update(c, "jobFinishMany", SqlParams.of().set("rows", Json.write(rows)).set("owner", owner));
                if (written != rows.size()) {
                    throw new SQLException("completion wrote " + written + " of " + rows.size() + " locked job(s)");
                }
            }
            releaseStreams(c, streamsFreed(finishes, out));
            return out;
        });
    }

    @Override
    protected List<Job> fetchIn(Connection c, FetchParams p) throws SQLException {
        List<Long> ids = db.query(c, "jobFetchCandidates", fetchParams(p), rs -> rs.getLong(1));
        if (ids.isEmpty()) {
            return List.of();
        }
        db.update(c, "jobClaim", fetchParams(p).set("ids", SqlList.bigint(ids)));
        return db.query(c, "jobGetClaimed", SqlParams.of().set("ids", SqlList.bigint(ids)), JobRows.claimed(p.owner()));
    }

    /**
     * Reads which of {@code ids} the owner runs and must renew, then renews those by primary key
     * (see jobRenewLeases in job.sql).
     */
    @Override
    public int jobRenewLeases(String owner, List<Long> ids, Duration lease, Duration within) {
        if (ids.isEmpty()) {
            return 0;
        }
        return db.withConnection("lease renewal", c -> {
            List<Long> due = db.query(c, "jobRunningIds", SqlParams.of().set("owner", owner)
                    .set("ids", SqlList.bigint(sortedIds(ids))).set("within_ms", within.toMillis()), rs -> rs.getLong(1));
            if (due.isEmpty()) {
                return 0;
            }
            return db.update(c, "jobRenewLeases", SqlParams.of().set("ids", SqlList.bigint(due)).set("owner", owner)
                    .set("lease_ms", lease.toMillis()));
        });
    }
}
