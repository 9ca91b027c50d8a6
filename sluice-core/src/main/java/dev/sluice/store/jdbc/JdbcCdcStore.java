package dev.sluice.store.jdbc;

import dev.sluice.job.EnqueueResult;
import dev.sluice.store.CdcStore;
import dev.sluice.store.NewJob;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Change-detection hashes on JDBC, applied in the transaction that enqueues their jobs. Thread-safe. */
final class JdbcCdcStore implements CdcStore {
    private final JdbcExecutor db;
    private final JdbcJobStore jobs;

    JdbcCdcStore(JdbcExecutor db, JdbcJobStore jobs) {
        this.db = db;
        this.jobs = jobs;
    }

    @Override
    public Map<String, String> cdcHashList(String controller) {
        Map<String, String> out = new HashMap<>();
        db.withConnection("hash listing of " + controller, c -> db.query(c, "cdcHashList",
                SqlParams.of().set("controller", controller), rs -> out.put(rs.getString(1), rs.getString(2))));
        return out;
    }

    @Override
    public List<EnqueueResult> cdcApply(String controller, List<HashChange> changes, List<NewJob> newJobs) {
        return db.inTransaction("change detection of " + controller, c -> {
            List<EnqueueResult> results = jobs.jobEnqueueMany(c, newJobs);
            for (HashChange change : changes) {
                SqlParams params = SqlParams.of().set("controller", controller).set("object_id", change.objectId());
                if (change.hash() == null) {
                    db.update(c, "cdcHashDelete", params);
                } else {
                    db.update(c, "cdcHashUpsert", params.set("hash", change.hash()));
                }
            }
            return results;
        });
    }
}
