package dev.sluice.store.jdbc;

import dev.sluice.job.EnqueueResult;
import dev.sluice.store.NewJob;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Keeps keys and streams consistent, inside the caller's transaction.
 *
 * <p>A stream's jobs are <em>active</em> (scheduled, available, retryable or running) or
 * <em>blocked</em>. A job enters a stream active only while fewer than its limit are active;
 * otherwise it waits blocked, outside the fetch index, so the fetch needs no stream logic at all
 * and stays as fast with a thousand streams as with none. When an active job reaches a final
 * state, the oldest blocked job of its stream is promoted, in the same transaction. A failed head
 * that will retry stays active, so it holds its stream and order is kept.
 *
 * <p>Everything that changes a stream's or a key's jobs first takes the lock of that stream or
 * key ({@code lockAcquire}: an advisory lock on PostgreSQL, a row lock on MariaDB, the single
 * writer on SQLite), always in name order, so concurrent enqueues and completions serialise
 * per stream and per key without deadlocks. Stateless; thread-safe.
 */
final class StreamGate {
    private final JdbcExecutor db;

    StreamGate(JdbcExecutor db) {
        this.db = db;
    }

    /** Takes the locks of {@code names} in order; they are released when the transaction ends. */
    void lock(Connection c, Collection<String> names) throws SQLException {
        for (String name : new TreeSet<>(names)) {
            db.execute(c, "lockAcquire", SqlParams.of().set("name", name));
        }
    }

    static String keyLock(String key) {
        return "key:" + key;
    }

    static String streamLock(String stream) {
        return "stream:" + stream;
    }

    /** Inserts one keyed or stream job, applying its key policy and its stream's limit. */
    EnqueueResult insert(Connection c, NewJob job) throws SQLException {
        List<String> locks = new ArrayList<>(2);
        if (job.key() != null) {
            locks.add(keyLock(job.key()));
        }
        if (job.stream() != null) {
            locks.add(streamLock(job.stream()));
        }
        lock(c, locks);
        List<Long> superseded = new ArrayList<>();
        TreeSet<String> freedStreams = new TreeSet<>();
        if (job.key() != null) {
            List<WaitingJob> waiting = db.query(c, "jobKeyWaiting", SqlParams.of().set("key", job.key()),
                    rs -> new WaitingJob(rs.getLong(1), rs.getString(2), rs.getString(3)));
            if (job.keepExisting() && !waiting.isEmpty()) {
                return new EnqueueResult(waiting.getLast().id(), false, List.of());
            }
            for (WaitingJob w : waiting) {
                if (db.update(c, "jobSupersede", SqlParams.of().set("id", w.id())) == 1) {
                    superseded.add(w.id());
                    if (w.stream() != null && !"blocked".equals(w.state())) {
                        freedStreams.add(w.stream());
                    }
                }
            }
        }
        String state = job.state();
        if (job.stream() != null && activeCount(c, job.stream()) >= job.streamLimit()) {
            state = "blocked";
        }
        long id = db.query(c, "jobInsert", JdbcJobStore.insertParams(job).set("state", state), rs -> rs.getLong(1))
                .getFirst();
        if (job.stream() != null) {
            freedStreams.remove(job.stream()); // its own insert already counted the free slot
        }
        if (!freedStreams.isEmpty()) {
            lock(c, freedStreams.stream().map(StreamGate::streamLock).toList());
            for (String stream : freedStreams) {
                promote(c, stream);
            }
        }
        return new EnqueueResult(id, true, superseded);
    }

    private record WaitingJob(long id, String stream, String state) {
    }

    private long activeCount(Connection c, String stream) throws SQLException {
        return db.query(c, "jobStreamActiveCount", SqlParams.of().set("stream", stream), rs -> rs.getLong(1)).getFirst();
    }

    /** Locks {@code streams} and promotes their next blocked jobs where they have room. */
    void release(Connection c, Collection<String> streams) throws SQLException {
        if (streams.isEmpty()) {
            return;
        }
        TreeSet<String> sorted = new TreeSet<>(streams);
        lock(c, sorted.stream().map(StreamGate::streamLock).toList());
        for (String stream : sorted) {
            promote(c, stream);
        }
    }

    /** Promotes blocked jobs of {@code stream}, oldest first, while it has room. Lock held. */
    int promote(Connection c, String stream) throws SQLException {
        int promoted = 0;
        while (true) {
            List<long[]> head = db.query(c, "jobStreamBlockedHead", SqlParams.of().set("stream", stream),
                    rs -> new long[] {rs.getLong(1), rs.getLong(2)});
            if (head.isEmpty() || activeCount(c, stream) >= head.getFirst()[1]) {
                return promoted;
            }
            if (db.update(c, "jobStreamPromote", SqlParams.of().set("id", head.getFirst()[0])) == 0) {
                return promoted;
            }
            promoted++;
        }
    }

    /** The stream of a job and its limit, or null when it has none (or does not exist). */
    String streamOf(Connection c, long id) throws SQLException {
        return db.query(c, "jobStreamOf", SqlParams.of().set("id", id), rs -> rs.getString(1))
                .stream().filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }
}
