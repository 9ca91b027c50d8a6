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
 * writer on SQLite), so concurrent enqueues, completions, rescues and cancellations serialise
 * per stream and per key. To do so without deadlocks, every transaction takes its locks in one
 * order:
 * <ol>
 *   <li>the locks of keys, by name (only enqueues take them);</li>
 *   <li>the locks of streams, by name;</li>
 *   <li>the rows of jobs, by id where a statement changes several (completions, renewals).</li>
 * </ol>
 * A transaction never asks for a lock of an earlier kind once it holds one of a later kind:
 * streams whose jobs it will change are known (or read without locking) before the first row is
 * written. The promotion of a stream's next job writes rows under its lock, so rows can only come
 * after streams; a completion that wrote its job's row first and then took the stream's lock
 * waited in a cycle with a cancellation that held the lock and wanted the row. Rate limits'
 * locks ({@code rate:}) are taken alone, before the rows a fetch claims. Stateless; thread-safe.
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

    /**
     * Takes every lock that inserting {@code jobs} needs, in the order of the class comment: the
     * locks of their keys; then those of their streams and of the streams of the waiting jobs
     * their keys may supersede (superseding one lets its stream's next job go). The waiting jobs
     * are read once the keys are held: no new one can appear then.
     */
    void lockForInsert(Connection c, List<NewJob> jobs) throws SQLException {
        TreeSet<String> keys = new TreeSet<>();
        TreeSet<String> streams = new TreeSet<>();
        for (NewJob job : jobs) {
            if (job.key() != null) {
                keys.add(job.key());
            }
            if (job.stream() != null) {
                streams.add(job.stream());
            }
        }
        lock(c, keys.stream().map(StreamGate::keyLock).toList());
        for (String key : keys) {
            for (WaitingJob w : waiting(c, key)) {
                if (w.stream() != null) {
                    streams.add(w.stream());
                }
            }
        }
        lock(c, streams.stream().map(StreamGate::streamLock).toList());
    }

    /**
     * Decides the initial state of jobs without keys, in order, as {@link #insert} would one by
     * one: a stream job whose stream already has as many active jobs as its limit waits blocked.
     * One count per stream rather than a count and an insert per job, so that many stream jobs
     * go in through the dialect's many-row insert. The caller holds the streams' locks.
     */
    List<NewJob> admit(Connection c, List<NewJob> jobs) throws SQLException {
        java.util.Map<String, Long> active = new java.util.HashMap<>();
        List<NewJob> out = new ArrayList<>(jobs.size());
        for (NewJob job : jobs) {
            if (job.key() != null) {
                throw new IllegalArgumentException("a keyed job goes through insert, one at a time");
            }
            if (job.stream() == null) {
                out.add(job);
                continue;
            }
            Long count = active.get(job.stream());
            long n = count != null ? count : activeCount(c, job.stream());
            if (n >= job.streamLimit()) {
                out.add(job.withState("blocked"));
                active.put(job.stream(), n);
            } else {
                out.add(job);
                active.put(job.stream(), n + 1);
            }
        }
        return out;
    }

    /**
     * Inserts one keyed or stream job, applying its key policy and its stream's limit. The caller
     * holds the locks {@link #lockForInsert} takes for it.
     */
    EnqueueResult insert(Connection c, NewJob job) throws SQLException {
        List<Long> superseded = new ArrayList<>();
        TreeSet<String> freedStreams = new TreeSet<>();
        if (job.key() != null) {
            List<WaitingJob> waiting = waiting(c, job.key());
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
        for (String stream : freedStreams) {
            promote(c, stream);
        }
        return new EnqueueResult(id, true, superseded);
    }

    private record WaitingJob(long id, String stream, String state) {
    }

    /** The jobs of {@code key} that have not started, oldest first. */
    private List<WaitingJob> waiting(Connection c, String key) throws SQLException {
        return db.query(c, "jobKeyWaiting", SqlParams.of().set("key", key),
                rs -> new WaitingJob(rs.getLong(1), rs.getString(2), rs.getString(3)));
    }

    private long activeCount(Connection c, String stream) throws SQLException {
        return db.query(c, "jobStreamActiveCount", SqlParams.of().set("stream", stream), rs -> rs.getLong(1)).getFirst();
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
