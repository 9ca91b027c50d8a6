package dev.sluice.store.jdbc;

import dev.sluice.job.Job;
import dev.sluice.store.FetchParams;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * MariaDB's job store. MariaDB has no {@code UPDATE … RETURNING}, so a claim is three
 * statements in one transaction: lock candidates with {@code SKIP LOCKED}, mark them running,
 * read them back. InnoDB locks index entries as well as rows, so statements that change running
 * jobs go by primary key in id order (renewals here, completions in {@link JdbcJobStore}): two
 * of them never wait on each other in a cycle. Thread-safe.
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

    /** Reads the owner's running jobs, then renews them by primary key (see jobRenewLeases in job.sql). */
    @Override
    public int jobRenewLeases(String owner, Duration lease) {
        return db.withConnection("lease renewal", c -> {
            List<Long> ids = db.query(c, "jobRunningIds", SqlParams.of().set("owner", owner), rs -> rs.getLong(1));
            if (ids.isEmpty()) {
                return 0;
            }
            return db.update(c, "jobRenewLeases", SqlParams.of().set("ids", SqlList.bigint(ids)).set("owner", owner)
                    .set("lease_ms", lease.toMillis()));
        });
    }
}
