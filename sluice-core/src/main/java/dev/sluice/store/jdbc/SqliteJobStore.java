package dev.sluice.store.jdbc;

import dev.sluice.internal.Json;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQLite's job store: a completion batch is one statement over a JSON array of the batch's rows
 * ({@code json_each}), not one statement per job (two when plain successes and other ends mix).
 * Each statement costs a trip through the driver and SQLite's virtual machine, which made the
 * completer the busiest thread of a drain.
 * Thread-safe.
 */
final class SqliteJobStore extends JdbcJobStore {

    SqliteJobStore(JdbcExecutor db) {
        super(db);
    }

    /**
     * Plain successes (no result) go through {@code jobFinishSucceeded}, which unpacks only
     * (id, attempt) pairs; the other ends through {@code jobFinishMany}. Both in one transaction.
     */
    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        if (finishes.isEmpty()) {
            return List.of();
        }
        StringBuilder pairs = new StringBuilder(finishes.size() * 16).append('[');
        List<List<Object>> rows = new ArrayList<>();
        for (JobFinish f : firstOfEachAttempt(finishes)) {
            if (plainSuccess(f)) {
                pairs.append(pairs.length() > 1 ? ",[" : "[").append(f.id()).append(',').append(f.attempt()).append(']');
            } else {
                rows.add(Arrays.asList(f.id(), f.attempt(), f.state(), f.retryDelayMillis(), f.result(), f.errors()));
            }
        }
        pairs.append(']');
        return db.inTransaction("completion of " + finishes.size() + " job(s)", c -> {
            // Streams before rows, as on every dialect (see StreamGate); SQLite's single writer
            // could not deadlock, but one order for all keeps the stores alike.
            lockStreams(c, streamsOf(finishes));
            Map<Attempt, String> applied = new HashMap<>();
            JdbcExecutor.RowMapper<String> record = rs -> applied.put(new Attempt(rs.getLong(1), rs.getInt(2)), rs.getString(3));
            if (pairs.length() > 2) {
                db.query(c, "jobFinishSucceeded", SqlParams.of().set("pairs", pairs.toString()).set("owner", owner), record);
            }
            if (!rows.isEmpty()) {
                db.query(c, "jobFinishMany", SqlParams.of().set("rows", Json.write(rows)).set("owner", owner), record);
            }
            List<FinishResult> out = resultsByAttempt(finishes, applied);
            releaseStreams(c, streamsFreed(finishes, out));
            return out;
        });
    }

    private static boolean plainSuccess(JobFinish f) {
        return "completed".equals(f.state()) && f.result() == null && f.errors() == null;
    }
}
