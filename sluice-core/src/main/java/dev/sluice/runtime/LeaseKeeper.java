package dev.sluice.runtime;

import dev.sluice.store.NodeInfo;
import dev.sluice.store.NodeStore;
import java.time.Instant;

/**
 * The node's heartbeat: registers the node, renews the leases of the jobs it runs that are past
 * half their lease (one statement, however many), hands cancellation requests to the running
 * handlers, and writes buffered progress reports. Runs every heartbeat interval, which is at most half the lease, so
 * a live node never loses a lease to a rescuer. A node that did lose one (cut off from the
 * database for longer than a lease) stops the attempt when it finds out.
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
        node.store().jobRenewLeases(node.nodeId(), node.config().leaseDuration(), renewWithin());
        if (!node.running().isEmpty()) {
            checkLeases();
        }
        node.store().jobProgressMany(node.nodeId(), node.progress().drain());
    }

    /**
     * Leases with less than this left are renewed: half the lease, and never less than three
     * heartbeats, so a lease is renewed at least twice before it could run out even when a
     * heartbeat is late; with the defaults (30 s, 2 s) each running job's row is rewritten every
     * 15 s instead of every 2 s.
     */
    private java.time.Duration renewWithin() {
        java.time.Duration half = node.config().leaseDuration().dividedBy(2);
        java.time.Duration threeBeats = node.config().heartbeatInterval().multipliedBy(3);
        return half.compareTo(threeBeats) >= 0 ? half : threeBeats;
    }

    /**
     * Stops attempts whose job was asked to stop, and attempts whose lease this node no longer
     * holds (its lease ran out while the node could not reach the database, and another node
     * rescued the job): their results would be refused anyway, and the job may already run
     * elsewhere. The running attempts are taken before the database is read, so an attempt that
     * starts meanwhile, claimed after the read, is not mistaken for a lost one. Each attempt is
     * checked on its own: when this node claimed a job again, the old attempt runs beside the new
     * one and only the new one's lease is held.
     */
    private void checkLeases() {
        java.util.List<RunningJob> local = java.util.List.copyOf(node.running().values());
        java.util.Map<Long, dev.sluice.store.HeldLease> held = new java.util.HashMap<>();
        for (dev.sluice.store.HeldLease lease : node.store().jobLeasesHeld(node.nodeId())) {
            held.put(lease.id(), lease);
        }
        for (RunningJob running : local) {
            dev.sluice.store.HeldLease lease = held.get(running.job().id());
            if (lease == null || lease.attempt() != running.job().attempt()) {
                running.stop(RunningJob.StopReason.LEASE_LOST);
            } else if (lease.cancelRequested()) {
                running.stop(RunningJob.StopReason.CANCELLED);
            }
        }
    }

    /**
     * Signals the handler of job {@code id} if it runs here: its newest attempt, the one the
     * request is for (an older one lost its lease and is stopped for that).
     */
    void cancelLocal(long id) {
        RunningJob newest = null;
        for (RunningJob running : node.running().values()) {
            if (running.job().id() == id && (newest == null || running.job().attempt() > newest.job().attempt())) {
                newest = running;
            }
        }
        if (newest != null) {
            newest.stop(RunningJob.StopReason.CANCELLED);
        }
    }
}
