package dev.sluice.store.jdbc;

import dev.sluice.internal.Json;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQLite's job store: a completion batch is one statement over a JSON array of the batch's rows
 * ({@code json_each}), not one statement per job. Each statement costs a trip through the driver
 * and SQLite's virtual machine, which made the completer the busiest thread of a drain.
 * Thread-safe.
 */
final class SqliteJobStore extends JdbcJobStore {

    SqliteJobStore(JdbcExecutor db) {
        super(db);
    }

    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        if (finishes.isEmpty()) {
            return List.of();
        }
        List<Map<String, Object>> rows = new ArrayList<>(finishes.size());
        for (JobFinish f : firstOfEachAttempt(finishes)) {
            rows.add(finishRow(f));
        }
        return db.inTransaction("completion of " + finishes.size() + " job(s)", c -> {
            // Streams before rows, as on every dialect (see StreamGate); SQLite's single writer
            // could not deadlock, but one order for all keeps the stores alike.
            lockStreams(c, streamsOf(finishes));
            Map<Attempt, String> applied = new HashMap<>();
            db.query(c, "jobFinishMany", SqlParams.of().set("rows", Json.write(rows)).set("owner", owner),
                    rs -> applied.put(new Attempt(rs.getLong(1), rs.getInt(2)), rs.getString(3)));
            List<FinishResult> out = resultsByAttempt(finishes, applied);
            releaseStreams(c, streamsFreed(finishes, out));
            return out;
        });
    }
}
