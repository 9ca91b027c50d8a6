package dev.sluice.runtime;

import dev.sluice.job.Job;
import dev.sluice.store.HeldLease;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The attempts this node knows it holds a lease for: claimed by its fetches (running, or
 * prefetched and waiting for a slot) or by its completions (the next job of a stream), and not yet
 * written (a completion queued or in the write-ahead log), handed back or lost. The heartbeat
 * renews these leases and no others; a lease the database gives this node that is not among them
 * belongs to no live attempt here (a claim whose jobs never reached a worker, or an earlier
 * process with the same node id) and is handed back (see {@link LeaseKeeper}).
 *
 * <p>An attempt whose runner crashed is <em>abandoned</em>: neither renewed nor handed back, so
 * that its lease runs out and the rescuer retries the job, spending the attempt (a job that crashes
 * the runner every time must not come back forever for free).
 *
 * <p>Every place that claims jobs for this node brackets the claim with {@link #claimStarting}
 * and {@link #claimEnded} and passes what it got to {@link #claimed} before anything else happens
 * to it; every place that lets one go calls {@link #released} or {@link #abandoned}.
 * What the database no longer gives this node is forgotten at each heartbeat, so an attempt
 * whose release was missed is renewed at most until then, never forever. Thread-safe.
 */
final class KnownLeases {
    private final Set<JobAttempt> held = ConcurrentHashMap.newKeySet();
    private final Set<JobAttempt> abandoned = ConcurrentHashMap.newKeySet();
    private final AtomicInteger claiming = new AtomicInteger();

    /**
     * A claim for this node is about to be made: until {@link #claimEnded}, jobs it committed may
     * not be known yet, and the heartbeat must not take their leases for strangers.
     */
    void claimStarting() {
        claiming.incrementAndGet();
    }

    /** The claim begun with {@link #claimStarting} returned its jobs to {@link #claimed}, or failed. */
    void claimEnded() {
        claiming.decrementAndGet();
    }

    /** True while a claim may have committed jobs that are not known yet. */
    boolean claimsInFlight() {
        return claiming.get() > 0;
    }

    /** Jobs just claimed for this node (committed). */
    void claimed(Collection<Job> jobs) {
        for (Job job : jobs) {
            held.add(of(job));
        }
    }

    /** The attempt's lease is no longer this node's concern: its end was written, or it was handed back or lost. */
    void released(long id, int attempt) {
        held.remove(new JobAttempt(id, attempt));
    }

    void released(Job job) {
        released(job.id(), job.attempt());
    }

    /** The attempt is left to run out its lease and be rescued. */
    void abandoned(Job job) {
        JobAttempt attempt = of(job);
        abandoned.add(attempt);
        held.remove(attempt);
    }

    /** The attempts whose leases this node renews, at this moment. */
    Set<JobAttempt> known() {
        return Set.copyOf(held);
    }

    /** The attempts left to be rescued, at this moment. */
    Set<JobAttempt> abandoned() {
        return Set.copyOf(abandoned);
    }

    /**
     * Forgets the attempts of {@code known} and {@code abandoned} (taken before the database was
     * read) that are not among the leases the database gave this node ({@code held}): ended,
     * rescued or lost. Attempts added since the snapshots are kept.
     */
    void forgetGone(Set<JobAttempt> known, Set<JobAttempt> abandonedBefore, List<HeldLease> heldNow) {
        Set<JobAttempt> inDatabase = new HashSet<>();
        for (HeldLease lease : heldNow) {
            inDatabase.add(new JobAttempt(lease.id(), lease.attempt()));
        }
        for (JobAttempt a : known) {
            if (!inDatabase.contains(a)) {
                held.remove(a);
            }
        }
        for (JobAttempt a : abandonedBefore) {
            if (!inDatabase.contains(a)) {
                abandoned.remove(a);
            }
        }
    }

    private static JobAttempt of(Job job) {
        return new JobAttempt(job.id(), job.attempt());
    }
}
