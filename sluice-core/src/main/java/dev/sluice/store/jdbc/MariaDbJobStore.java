package dev.sluice.store.jdbc;

import dev.sluice.job.Job;
import dev.sluice.store.FetchParams;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * MariaDB's job store. MariaDB has no {@code UPDATE … RETURNING}, so a claim is three
 * statements in one transaction: lock candidates with {@code SKIP LOCKED}, mark them running,
 * read them back. Thread-safe.
 */
final class MariaDbJobStore extends JdbcJobStore {

    MariaDbJobStore(JdbcExecutor db) {
        super(db);
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
}
