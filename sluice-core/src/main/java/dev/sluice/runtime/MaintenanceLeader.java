package dev.sluice.runtime;

import dev.sluice.store.LeaderStore;
import dev.sluice.store.NodeStore;
import java.time.Duration;

/**
 * Cluster-wide chores done by one node at a time: the node holding the {@code maintenance}
 * leader lease rescues expired job leases, prunes finished jobs past retention (in small
 * batches, so no statement holds locks for long) and forgets dead nodes. The lease lasts three
 * maintenance intervals, so a dead leader is replaced within that time.
 */
final class MaintenanceLeader implements PeriodicLoop.Body {
    static final String LEASE_NAME = "maintenance";
    private static final int PRUNE_BATCH = 1_000;
    private static final int PRUNE_ROUNDS = 20;

    private final NodeContext node;
    private final LeaderStore leaders;
    private final NodeStore nodes;
    private final LeaseRescuer rescuer;
    private volatile boolean leader;

    MaintenanceLeader(NodeContext node, LeaderStore leaders, NodeStore nodes) {
        this.node = node;
        this.leaders = leaders;
        this.nodes = nodes;
        this.rescuer = new LeaseRescuer(node);
    }

    boolean isLeader() {
        return leader;
    }

    @Override
    public void run() {
        Duration ttl = node.config().maintenanceInterval().multipliedBy(3);
        leader = leaders.leaderAttemptElect(LEASE_NAME, node.nodeId(), ttl);
        if (!leader) {
            return;
        }
        rescuer.run();
        for (int round = 0; round < PRUNE_ROUNDS; round++) {
            if (node.store().jobPruneFinished(node.config().retention(), PRUNE_BATCH) < PRUNE_BATCH) {
                break;
            }
        }
        nodes.nodePruneDead(node.config().leaseDuration().multipliedBy(4));
        node.store().jobStreamRepair(100);
        node.store().lockPrune(Duration.ofHours(1));
    }

    void resign() {
        if (leader) {
            leaders.leaderResign(LEASE_NAME, node.nodeId());
            leader = false;
        }
    }
}
