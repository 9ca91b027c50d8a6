package dev.sluice.store.jdbc;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sluice.internal.Json;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.NodeStore;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/** Node registry on JDBC. Thread-safe. */
final class JdbcNodeStore implements NodeStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private final JdbcExecutor db;

    JdbcNodeStore(JdbcExecutor db) {
        this.db = db;
    }

    @Override
    public void nodeHeartbeat(NodeInfo node) {
        db.withConnection("node heartbeat", c -> db.update(c, "nodeHeartbeat", SqlParams.of()
                .set("id", node.id())
                .set("host", node.host())
                .set("kinds", Json.write(node.kinds()))
                .set("queues", Json.write(node.queues()))));
    }

    @Override
    public void nodeDelete(String id) {
        db.withConnection("node removal", c -> db.update(c, "nodeDelete", SqlParams.of().set("id", id)));
    }

    @Override
    public List<NodeInfo> nodeListLive(Duration ttl) {
        return db.withConnection("node listing",
                c -> db.query(c, "nodeListLive", SqlParams.of().set("ttl_ms", ttl.toMillis()), JdbcNodeStore::map));
    }

    @Override
    public int nodePruneDead(Duration ttl) {
        return db.withConnection("node pruning",
                c -> db.update(c, "nodePruneDead", SqlParams.of().set("ttl_ms", ttl.toMillis())));
    }

    private static NodeInfo map(ResultSet rs) throws SQLException {
        try {
            return new NodeInfo(rs.getString("id"), rs.getString("host"),
                    Json.mapper().readValue(rs.getString("kinds"), STRINGS),
                    Json.mapper().readValue(rs.getString("queues"), STRINGS),
                    JobRows.instant(rs, "started_at"), JobRows.instant(rs, "heartbeat_at"));
        } catch (IOException e) {
            throw new SQLException("unreadable node row " + rs.getString("id"), e);
        }
    }
}
