package dev.sluice.store.jdbc;

import dev.sluice.internal.Json;
import dev.sluice.job.Job;
import dev.sluice.store.FetchParams;
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
 * read with {@code JSON_TABLE}. InnoDB locks index entries as well as rows, so statements that
 * change running jobs go by primary key in id order (renewals here, completions in
 * {@link JdbcJobStore}): two of them never wait on each other in a cycle. Thread-safe.
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

    @Override
    protected List<Job> fetchIn(Connection c, FetchParams p) throws SQLException {
        List<Long> ids = db.query(c, "jobFetchCandidates", fetchParams(p), rs -> rs.getLong(1));
        if (ids.isEmpty()) {
            return List.of();
        }
        db.update(c, "jobClaim", fetchParams(p).set("ids", SqlList.bigint(ids)));
        return db.query(c, "jobGetMany", SqlParams.of().set("ids", SqlList.bigint(ids)), JobRows::map);
    }

    /** Reads the owner's running jobs, then renews them by primary key (see jobRenewLeases in job.sql). */
    @Override
    public int jobRenewLeases(String owner, Duration lease, Duration within) {
        return db.withConnection("lease renewal", c -> {
            List<Long> ids = db.query(c, "jobRunningIds",
                    SqlParams.of().set("owner", owner).set("within_ms", within.toMillis()), rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return 0;
            }
            return db.update(c, "jobRenewLeases", SqlParams.of().set("ids", SqlList.bigint(ids)).set("owner", owner)
                    .set("lease_ms", lease.toMillis()));
        });
    }
}
