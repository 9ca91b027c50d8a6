package dev.sluice.store;

import java.time.Duration;

/**
 * Named leader leases: at most one node holds a name at a time, for the duration of its lease.
 * Thread-safe.
 */
public interface LeaderStore {

    /** Takes or renews the lease on {@code name}; true when {@code owner} holds it afterwards. */
    boolean leaderAttemptElect(String name, String owner, Duration ttl);

    /** Gives the lease up if {@code owner} holds it. */
    void leaderResign(String name, String owner);
}
