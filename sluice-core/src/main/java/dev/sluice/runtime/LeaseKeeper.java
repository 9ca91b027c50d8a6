package dev.sluice.runtime;

import dev.sluice.store.NodeInfo;
import dev.sluice.store.NodeStore;
import java.time.Instant;

/**
 * The node's heartbeat: registers the node, renews the lease of every job it runs (one
 * statement, however many), hands cancellation requests to the running handlers, and writes
 * buffered progress reports. Runs every heartbeat interval, which is at most half the lease, so
 * a live node never loses a lease to a rescuer.
 */
final class LeaseKeeper implements PeriodicLoop.Body {
    private final NodeContext node;
    private final NodeStore nodes;
    private final NodeInfo info;

    LeaseKeeper(NodeContext node, NodeStore nodes, NodeInfo info) {
        this.node = node;
        this.nodes = nodes;
        this.info = info;
    }

    @Override
    public void run() {
        nodes.nodeHeartbeat(new NodeInfo(info.id(), info.host(), info.kinds(), info.queues(), info.startedAt(),
                Instant.now()));
        node.store().jobRenewLeases(node.nodeId(), node.config().leaseDuration());
        if (!node.running().isEmpty()) {
            for (Long id : node.store().jobCancelRequested(node.nodeId())) {
                cancelLocal(id);
            }
        }
        node.store().jobProgressMany(node.nodeId(), node.progress().drain());
    }

    /** Signals the handler of job {@code id} if it runs here. */
    void cancelLocal(long id) {
        RunningJob running = node.running().get(id);
        if (running != null) {
            running.stop(RunningJob.StopReason.CANCELLED);
        }
    }
}
