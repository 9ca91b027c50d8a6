package dev.sluice.store;

import java.time.Duration;
import java.util.List;

/** Registration and heartbeats of nodes. Thread-safe. */
public interface NodeStore {

    /** Registers the node or refreshes its heartbeat. */
    void nodeHeartbeat(NodeInfo node);

    /** Removes the node at shutdown. */
    void nodeDelete(String id);

    /** Nodes whose heartbeat is younger than {@code ttl}. */
    List<NodeInfo> nodeListLive(Duration ttl);

    /** Removes nodes silent for longer than {@code ttl}; returns how many. */
    int nodePruneDead(Duration ttl);
}
