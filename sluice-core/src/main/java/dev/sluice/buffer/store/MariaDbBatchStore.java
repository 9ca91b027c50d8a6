package dev.sluice.buffer.store;

import dev.sluice.store.jdbc.JdbcExecutor;
import dev.sluice.store.jdbc.SqlParams;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.time.Duration;
import java.util.List;

/**
 * MariaDB's batch store. MariaDB has no {@code UPDATE … RETURNING}, so a take is three
 * statements in one transaction: lock due rows with {@code SKIP LOCKED}, claim them, read them
 * back. Thread-safe.
 */
final class MariaDbBatchStore extends JdbcBatchStore {

    MariaDbBatchStore(JdbcExecutor db, AutoCloseable onClose) {
        super(db, onClose);
    }

    @Override
    public List<StoredBatch> batchTake(String queue, String owner, int limit, Duration lease) {
        return sorted(db.inTransaction("take from buffer queue " + queue, c -> {
            List<Long> ids = db.query(c, "batchTakeCandidates", takeParams(queue, owner, limit, lease),
                    rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return List.<StoredBatch>of();
            }
            for (long id : ids) {
                db.update(c, "batchTakeClaim", takeParams(queue, owner, limit, lease).set("id", id));
            }
            return db.query(c, "batchGetMany", SqlParams.of().set("ids", SqlList.bigint(ids)), JdbcBatchStore::map);
        }));
    }
}
