package dev.sluice.runtime;

import dev.sluice.store.HeldLease;
import dev.sluice.store.NodeInfo;
import dev.sluice.store.NodeStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's heartbeat: registers the node, renews the leases of the attempts it knows it holds
 * ({@link KnownLeases}) that are past half their lease (one statement, however many), hands
 * cancellation requests to the running handlers, and writes buffered progress reports. Runs
 * every heartbeat interval, which is at most half the lease, so a live node never loses a lease
 * to a rescuer. A node that did lose one (cut off from the database for longer than a lease)
 * stops the attempt when it finds out.
 *
 * <p>A lease the database gives this node but that no attempt here knows of (a claim whose jobs
 * never reached a worker, or a process that ran before with the same node id) is not renewed:
 * seen so on two heartbeats in a row, it is handed back, without spending the attempt, so that
 * the job runs at once somewhere instead of waiting for the lease to run out. A heartbeat looks
 * for such strangers only when no claim is under way, and compares the database with the attempts
 * known after it was read: then every job claimed before the read is known, and a stranger is
 * not a job on its way to a worker. The second sighting is a margin on top of that.
 */
final class LeaseKeeper implements PeriodicLoop.Body {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final NodeContext node;
    private final NodeStore nodes;
    private final NodeInfo info;
    private final BooleanSupplier earlierRunSettled;
    /** Leases held here that no attempt knew of at the last heartbeat; used by the heartbeat only. */
    private Set<JobAttempt> strangers = Set.of();

    /**
     * @param earlierRunSettled whether every completion an earlier run of this node left in its
     *                          write-ahead log is applied (always true without a log)
     */
    LeaseKeeper(NodeContext node, NodeStore nodes, NodeInfo info, BooleanSupplier earlierRunSettled) {
        this.node = node;
        this.nodes = nodes;
        this.info = info;
        this.earlierRunSettled = earlierRunSettled;
    }

    @Override
    public void run() {
        nodes.nodeHeartbeat(new NodeInfo(info.id(), info.host(), info.kinds(), info.queues(), info.startedAt(),
                Instant.now()));
        // Taken before the database is read: an attempt claimed meanwhile is not taken for a lost one.
        Set<JobAttempt> known = node.leases().known();
        Set<JobAttempt> abandoned = node.leases().abandoned();
        List<RunningJob> local = List.copyOf(node.running().values());
        if (!known.isEmpty()) {
            node.store().jobRenewLeases(node.nodeId(), ids(known), node.config().leaseDuration(), renewWithin());
        }
        List<HeldLease> held = node.store().jobLeasesHeld(node.nodeId());
        checkLeases(local, held);
        // With no claim under way, every job claimed before the read is known by now: a lease the
        // attempts known from here on do not account for has no attempt here. Otherwise this
        // heartbeat leaves strangers alone (the next one looks again). A node restarted under its
        // old id finds the leases of its earlier run among them; the completions that run logged
        // must land first: a job handed back (attempt number restored) and claimed again here would
        // carry the same owner and attempt, so a completion flushed later would finish the new run
        // with the old one's result while the job ran twice. Should the log never catch up, the
        // leases run out and are rescued as any dead node's are.
        if (!node.leases().claimsInFlight() && earlierRunSettled.getAsBoolean()) {
            handBackStrangers(node.leases().known(), node.leases().abandoned(), held);
        }
        node.leases().forgetGone(known, abandoned, held);
        node.store().jobProgressMany(node.nodeId(), node.progress().drain());
    }

    private static List<Long> ids(Set<JobAttempt> attempts) {
        Set<Long> ids = new java.util.TreeSet<>();
        for (JobAttempt a : attempts) {
            ids.add(a.id());
        }
        return List.copyOf(ids);
    }

    /**
     * Hands back the leases held here that no attempt knew of at this heartbeat and the one
     * before, each fenced on its attempt (a job rescued and claimed again meanwhile is not touched).
     */
    private void handBackStrangers(Set<JobAttempt> known, Set<JobAttempt> abandoned, List<HeldLease> held) {
        Set<JobAttempt> now = new HashSet<>();
        for (HeldLease lease : held) {
            JobAttempt a = new JobAttempt(lease.id(), lease.attempt());
            if (!known.contains(a) && !abandoned.contains(a)) {
                now.add(a);
            }
        }
        Set<JobAttempt> suspects = new HashSet<>();
        for (JobAttempt a : now) {
            if (!strangers.contains(a)) {
                suspects.add(a);
            } else if (node.store().jobHandBack(a.id(), a.attempt(), node.nodeId())) {
                LOG.info("handed back job {} (attempt {}): leased to node {}, which does not run it", a.id(),
                        a.attempt(), node.nodeId());
            }
        }
        strangers = suspects;
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
    private void checkLeases(List<RunningJob> local, List<HeldLease> leases) {
        Map<Long, HeldLease> held = new HashMap<>();
        for (HeldLease lease : leases) {
            held.put(lease.id(), lease);
        }
        for (RunningJob running : local) {
            HeldLease lease = held.get(running.job().id());
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
