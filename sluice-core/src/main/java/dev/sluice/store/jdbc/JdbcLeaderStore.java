package dev.sluice.store.jdbc;

import dev.sluice.store.LeaderStore;
import java.time.Duration;

/**
 * Leader leases on JDBC: an upsert that takes the row only when its lease expired or is ours,
 * then a read of who holds it, in one transaction. Thread-safe.
 */
final class JdbcLeaderStore implements LeaderStore {
    private final JdbcExecutor db;

    JdbcLeaderStore(JdbcExecutor db) {
        this.db = db;
    }

    @Override
    public boolean leaderAttemptElect(String name, String owner, Duration ttl) {
        return db.inTransaction("leader election for " + name, c -> {
            db.update(c, "leaderAttemptElect",
                    SqlParams.of().set("name", name).set("owner", owner).set("ttl_ms", ttl.toMillis()));
            return db.query(c, "leaderGetOwner", SqlParams.of().set("name", name), rs -> rs.getString(1))
                    .stream().anyMatch(owner::equals);
        });
    }

    @Override
    public void leaderResign(String name, String owner) {
        db.withConnection("leader resignation for " + name,
                c -> db.update(c, "leaderResign", SqlParams.of().set("name", name).set("owner", owner)));
    }
}
