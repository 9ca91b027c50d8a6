package dev.sluice.store.jdbc;

import dev.sluice.job.CancelResult;
import dev.sluice.job.EnqueueResult;
import dev.sluice.job.Job;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import dev.sluice.store.FetchParams;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import dev.sluice.store.JobRescue;
import dev.sluice.store.JobStore;
import dev.sluice.store.NewJob;
import dev.sluice.store.PlainJobs;
import dev.sluice.store.QueueStateCount;
import dev.sluice.store.RateWindow;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job store on JDBC, one row at a time where a dialect has nothing better. Dialects with
 * set-based statements override the many-row methods ({@link PostgresJobStore}) or the claim
 * ({@link MariaDbJobStore}). Thread-safe.
 */
class JdbcJobStore implements JobStore {
    /** Claimed jobs are handed out most urgent first, whatever order the database returned. */
    static final Comparator<Job> URGENCY = Comparator.comparingInt(Job::priority).reversed()
            .thenComparing(Job::runAt).thenComparingLong(Job::id);

    protected final JdbcExecutor db;
    protected final StreamGate gate;

    JdbcJobStore(JdbcExecutor db) {
        this.db = db;
        this.gate = new StreamGate(db);
    }

    @Override
    public List<EnqueueResult> jobEnqueueMany(Connection connection, List<NewJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        if (connection != null) {
            try {
                return enqueueMany(connection, jobs);
            } catch (SQLException e) {
                throw new StoreException("enqueue in the caller's transaction failed: " + e.getMessage(), e);
            }
        }
        return db.inTransaction("enqueue of " + jobs.size() + " job(s)", c -> enqueueMany(c, jobs));
    }

    /**
     * Inserts in the current transaction of {@code c}: plain and stream jobs through the dialect's
     * fastest many-row insert (stream jobs admitted or blocked first by the {@link StreamGate});
     * when the batch has keyed jobs, those one by one through the gate, between runs of the others.
     */
    private List<EnqueueResult> enqueueMany(Connection c, List<NewJob> jobs) throws SQLException {
        List<EnqueueResult> results = new ArrayList<>(jobs.size());
        if (jobs instanceof PlainJobs) {
            // Nothing to lock or admit; reading the jobs here would make them all before the insert starts.
            for (long id : insertMany(c, jobs)) {
                results.add(new EnqueueResult(id, true, List.of()));
            }
            return results;
        }
        // All locks of the batch up front, in the one order (keys, then streams, then rows; see
        // StreamGate): taken one job at a time they would be in request order, and two
        // transactions could then wait on each other.
        if (jobs.stream().anyMatch(NewJob::gated)) {
            gate.lockForInsert(c, jobs);
        }
        if (jobs.stream().noneMatch(j -> j.key() != null)) {
            for (long id : insertMany(c, gate.admit(c, jobs))) {
                results.add(new EnqueueResult(id, true, List.of()));
            }
            return results;
        }
        List<NewJob> plain = new ArrayList<>();
        boolean gatedAny = false;
        for (NewJob job : jobs) {
            if (!job.gated()) {
                plain.add(job);
                continue;
            }
            flushPlain(c, plain, results);
            results.add(gate.insert(c, job));
            gatedAny = true;
        }
        flushPlain(c, plain, results);
        if (gatedAny) {
            afterGatedInsert(c, jobs.stream().map(NewJob::queue).distinct().toList());
        }
        return results;
    }

    private void flushPlain(Connection c, List<NewJob> plain, List<EnqueueResult> results) throws SQLException {
        if (plain.isEmpty()) {
            return;
        }
        for (long id : insertMany(c, plain)) {
            results.add(new EnqueueResult(id, true, List.of()));
        }
        plain.clear();
    }

    /** Lets a dialect announce jobs inserted outside its many-row path. */
    protected void afterGatedInsert(Connection c, List<String> queues) throws SQLException {
    }

    /** Inserts plain jobs in the current transaction of {@code c}. */
    protected List<Long> insertMany(Connection c, List<NewJob> jobs) throws SQLException {
        List<Long> ids = new ArrayList<>(jobs.size());
        try (JdbcExecutor.Reused insert = db.reuse(c, "jobInsert")) {
            for (NewJob job : jobs) {
                ids.add(insert.query(insertParams(job), rs -> rs.getLong(1)).getFirst());
            }
        }
        return ids;
    }

    static SqlParams insertParams(NewJob job) {
        return SqlParams.of()
                .set("kind", job.kind())
                .set("queue", job.queue())
                .set("state", job.state())
                .set("priority", job.priority())
                .set("payload", job.payload())
                .set("tags", job.tags())
                .set("max_attempts", job.maxAttempts())
                .set("run_at", job.runAtMillis())
                .set("delay_ms", job.delayMillis())
                .set("job_key", job.key())
                .set("stream", job.stream())
                .set("stream_limit", job.streamLimit());
    }

    @Override
    public List<Job> jobFetchAvailable(FetchParams p) {
        return sorted(db.inTransaction("fetch from queue " + p.queue(), c -> fetchIn(c, p)));
    }

    /** Claims in the current transaction of {@code c}. */
    protected List<Job> fetchIn(Connection c, FetchParams p) throws SQLException {
        return db.query(c, "jobFetchAvailable", fetchParams(p), JobRows.claimed(p.owner()));
    }

    @Override
    public List<Job> jobFetchAvailableRated(FetchParams p, List<RateWindow> windows) {
        return sorted(db.inTransaction("rate-limited fetch from queue " + p.queue(), c -> {
            gate.lock(c, windows.stream().map(w -> "rate:" + w.name()).toList());
            int limit = p.limit();
            for (RateWindow w : windows) {
                SqlParams params = SqlParams.of().set("name", w.name()).set("period_ms", w.periodMillis());
                db.update(c, "ratePrune", params);
                long used = db.query(c, "rateCount", params, rs -> rs.getLong(1)).getFirst();
                limit = (int) Math.min(limit, Math.max(0, w.max() - used));
            }
            if (limit == 0) {
                return List.<Job>of();
            }
            List<Job> jobs = fetchIn(c, new FetchParams(p.queue(), p.kinds(), limit, p.owner(), p.leaseMillis()));
            for (RateWindow w : windows) {
                for (int i = 0; i < jobs.size(); i++) {
                    db.update(c, "rateRecord", SqlParams.of().set("name", w.name()));
                }
            }
            return jobs;
        }));
    }

    static SqlParams fetchParams(FetchParams p) {
        return SqlParams.of()
                .set("queue", p.queue())
                .set("kinds", SqlList.text(p.kinds()))
                .set("limit", p.limit())
                .set("owner", p.owner())
                .set("lease_ms", p.leaseMillis());
    }

    static List<Job> sorted(List<Job> jobs) {
        List<Job> copy = new ArrayList<>(jobs);
        copy.sort(URGENCY);
        return copy;
    }

    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        if (finishes.isEmpty()) {
            return List.of();
        }
        // Rows are written in id order, the order lease renewal locks them in, so that a batch and
        // a renewal never wait on each other in a cycle; results keep the order given.
        List<JobFinish> byId = new ArrayList<>(finishes);
        byId.sort(Comparator.comparingLong(JobFinish::id));
        Map<JobFinish, FinishResult> written = db.inTransaction("completion of " + finishes.size() + " job(s)", c -> {
            lockStreams(c, streamsOf(finishes));
            Map<JobFinish, FinishResult> results = new IdentityHashMap<>();
            try (JdbcExecutor.Reused finish = db.reuse(c, "jobFinish");
                 JdbcExecutor.Reused finishCancelled = db.reuse(c, "jobFinishCancelled")) {
                for (JobFinish f : byId) {
                    SqlParams params = SqlParams.of()
                            .set("id", f.id())
                            .set("attempt", f.attempt())
                            .set("owner", owner)
                            .set("state", f.state())
                            .set("retry_delay_ms", f.retryDelayMillis())
                            .set("result", f.result())
                            .set("errors", f.errors());
                    if (finish.update(params) == 1) {
                        results.put(f, new FinishResult(f.id(), true, f.state()));
                    } else if (finishCancelled.update(params) == 1) {
                        results.put(f, new FinishResult(f.id(), true, "cancelled"));
                    } else {
                        results.put(f, new FinishResult(f.id(), false, null));
                    }
                }
            }
            releaseStreams(c, streamsFreed(finishes, finishes.stream().map(results::get).toList()));
            return results;
        });
        return finishes.stream().map(written::get).toList();
    }

    /** One attempt of one job: a batch may hold the ends of a stale attempt and of the current one. */
    record Attempt(long id, int attempt) {
        static Attempt of(JobFinish f) {
            return new Attempt(f.id(), f.attempt());
        }
    }

    /**
     * The finishes to write: each attempt's end once, at its first occurrence. A batch may repeat
     * one (the same completion submitted twice); written as it comes, both copies would be
     * reported applied (and counted twice), and which of two different ends won would be the
     * database's choice.
     */
    static List<JobFinish> firstOfEachAttempt(List<JobFinish> finishes) {
        java.util.Set<Attempt> seen = new java.util.HashSet<>();
        List<JobFinish> out = new ArrayList<>(finishes.size());
        for (JobFinish f : finishes) {
            if (seen.add(Attempt.of(f))) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * One result per finish, in order, from the states written by attempt: a repeat of an attempt
     * already reported is not applied (it was not written; its first occurrence was).
     */
    static List<FinishResult> resultsByAttempt(List<JobFinish> finishes, Map<Attempt, String> applied) {
        java.util.Set<Attempt> reported = new java.util.HashSet<>();
        List<FinishResult> out = new ArrayList<>(finishes.size());
        for (JobFinish f : finishes) {
            Attempt a = Attempt.of(f);
            String state = reported.add(a) ? applied.get(a) : null;
            out.add(new FinishResult(f.id(), state != null, state));
        }
        return out;
    }

    /**
     * Takes the locks of {@code streams}, by name. A completion takes those of its jobs' streams
     * before it writes their rows, for one of them may let its stream's next job go, which needs
     * the lock, and a lock taken after a row is the inverse of a cancellation's order (see
     * StreamGate).
     */
    protected void lockStreams(Connection c, List<String> streams) throws SQLException {
        gate.lock(c, streams.stream().map(StreamGate::streamLock).toList());
    }

    /** The streams of the jobs of {@code finishes}, by name: all whose lock a completion takes. */
    static List<String> streamsOf(List<JobFinish> finishes) {
        java.util.TreeSet<String> streams = new java.util.TreeSet<>();
        for (JobFinish f : finishes) {
            if (f.stream() != null) {
                streams.add(f.stream());
            }
        }
        return List.copyOf(streams);
    }

    /** Lets the next jobs of {@code streams} go, where they have room. The caller holds their locks. */
    protected void releaseStreams(Connection c, List<String> streams) throws SQLException {
        for (String stream : new java.util.TreeSet<>(streams)) {
            gate.promote(c, stream);
        }
    }

    /** Streams in which a job just reached a final state, so the next may go. */
    /** One end of an attempt as a JSON object, for dialects that bind a batch as a JSON array. */
    static Map<String, Object> finishRow(JobFinish f) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        row.put("id", f.id());
        row.put("attempt", f.attempt());
        row.put("state", f.state());
        row.put("retry_delay_ms", f.retryDelayMillis());
        row.put("result", f.result());
        row.put("errors", f.errors());
        return row;
    }

        static List<String> streamsFreed(List<JobFinish> finishes, List<FinishResult> results) {
        java.util.Map<Long, String> streams = new java.util.HashMap<>();
        finishes.forEach(f -> {
            if (f.stream() != null) {
                streams.put(f.id(), f.stream());
            }
        });
        if (streams.isEmpty()) {
            return List.of();
        }
        return results.stream()
                .filter(r -> r.applied() && !"retryable".equals(r.state()) && streams.containsKey(r.id()))
                .map(r -> streams.get(r.id())).distinct().toList();
    }

    @Override
    public boolean jobHandBack(long id, int attempt, String owner) {
        return db.withConnection("hand-back of job " + id, c -> db.update(c, "jobHandBack",
                SqlParams.of().set("id", id).set("attempt", attempt).set("owner", owner))) == 1;
    }

    @Override
    public int jobRenewLeases(String owner, List<Long> ids, Duration lease, Duration within) {
        if (ids.isEmpty()) {
            return 0;
        }
        return db.withConnection("lease renewal", c -> db.update(c, "jobRenewLeases", SqlParams.of()
                .set("owner", owner).set("ids", SqlList.bigint(sortedIds(ids)))
                .set("lease_ms", lease.toMillis()).set("within_ms", within.toMillis())));
    }

    /** Distinct ids in ascending order: the order in which completions lock rows. */
    static List<Long> sortedIds(List<Long> ids) {
        return List.copyOf(new java.util.TreeSet<>(ids));
    }

    @Override
    public List<Long> jobCancelRequested(String owner) {
        return db.withConnection("cancel check",
                c -> db.query(c, "jobCancelRequested", SqlParams.of().set("owner", owner), rs -> rs.getLong(1)));
    }

    @Override
    public List<dev.sluice.store.HeldLease> jobLeasesHeld(String owner) {
        return db.withConnection("lease check", c -> db.query(c, "jobLeasesHeld", SqlParams.of().set("owner", owner),
                rs -> new dev.sluice.store.HeldLease(rs.getLong(1), rs.getInt(2), rs.getBoolean(3))));
    }

    @Override
    public void jobProgressMany(String owner, java.util.Collection<Progress> progress) {
        if (progress.isEmpty()) {
            return;
        }
        // In id order, the order completions and lease renewals lock rows in: no deadlock with them.
        List<Progress> inOrder = progress.stream()
                .sorted(java.util.Comparator.comparingLong(Progress::jobId).thenComparingInt(Progress::attempt)).toList();
        db.inTransaction("progress of " + progress.size() + " job(s)", c -> {
            for (Progress p : inOrder) {
                db.update(c, "jobProgress", SqlParams.of().set("id", p.jobId()).set("attempt", p.attempt())
                        .set("owner", owner).set("progress", p.fraction()).set("message", p.message()));
            }
            return null;
        });
    }

    @Override
    public CancelResult jobCancel(long id) {
        return db.inTransaction("cancel of job " + id, c -> {
            SqlParams params = SqlParams.of().set("id", id);
            String stream = lockStreamOf(c, id);
            if (db.update(c, "jobCancelWaiting", params) == 1) {
                if (stream != null) {
                    gate.promote(c, stream);
                }
                return CancelResult.CANCELLED;
            }
            if (db.update(c, "jobCancelRunning", params) == 1) {
                afterCancelRequested(c, id);
                return CancelResult.REQUESTED;
            }
            return CancelResult.NOT_CANCELLABLE;
        });
    }

    /**
     * Takes the lock of the job's stream, if it has one, before its row is touched (see the lock
     * order in StreamGate). The stream is read without a lock: a job's stream never changes.
     */
    private String lockStreamOf(Connection c, long id) throws SQLException {
        String stream = gate.streamOf(c, id);
        if (stream != null) {
            gate.lock(c, List.of(StreamGate.streamLock(stream)));
        }
        return stream;
    }

    /** Lets a dialect tell other nodes at once that a running job was cancelled. */
    protected void afterCancelRequested(Connection c, long id) throws SQLException {
    }

    @Override
    public boolean jobRetry(long id) {
        return db.inTransaction("retry of job " + id, c -> {
            String stream = lockStreamOf(c, id);
            if (db.update(c, "jobRetry", SqlParams.of().set("id", id)) == 0) {
                return false;
            }
            if (stream != null) {
                // Back in its stream, it must wait its turn like any newcomer if the stream is full.
                long active = db.query(c, "jobStreamActiveCount", SqlParams.of().set("stream", stream),
                        rs -> rs.getLong(1)).getFirst();
                long limit = db.query(c, "jobStreamOf", SqlParams.of().set("id", id), rs -> rs.getLong(2)).getFirst();
                if (active > limit) {
                    db.update(c, "jobBlock", SqlParams.of().set("id", id));
                }
            }
            return true;
        });
    }

    @Override
    public boolean jobDelete(long id) {
        return db.inTransaction("delete of job " + id, c -> {
            String stream = lockStreamOf(c, id);
            boolean deleted = db.update(c, "jobDelete", SqlParams.of().set("id", id)) == 1;
            if (deleted && stream != null) {
                gate.promote(c, stream);
            }
            return deleted;
        });
    }

    @Override
    public Optional<Job> jobGet(long id) {
        return db.withConnection("read of job " + id,
                c -> db.query(c, "jobGet", SqlParams.of().set("id", id), JobRows::map)).stream().findFirst();
    }

    @Override
    public JobPage jobList(JobQuery q) {
        List<Job> rows = db.withConnection("job listing", c -> db.query(c, "jobList", SqlParams.of()
                .set("state", q.state() == null ? null : q.state().dbName())
                .set("kind", q.kind())
                .set("queue", q.queue())
                .set("before_id", q.beforeId())
                .set("limit", q.limit() + 1), JobRows::map));
        boolean more = rows.size() > q.limit();
        List<Job> page = more ? rows.subList(0, q.limit()) : rows;
        return new JobPage(page, more ? page.getLast().id() : null);
    }

    @Override
    public List<QueueStateCount> jobCountByQueueAndState() {
        return db.withConnection("job counts", c -> db.query(c, "jobCountByQueueAndState", SqlParams.of(),
                rs -> new QueueStateCount(rs.getString(1), rs.getString(2), rs.getLong(3))));
    }

    @Override
    public Optional<Instant> jobNextRunAt(String queue, List<String> kinds) {
        return db.withConnection("next run time", c -> db.query(c, "jobNextRunAt",
                SqlParams.of().set("queue", queue).set("kinds", SqlList.text(kinds)),
                rs -> {
                    long v = rs.getLong(1);
                    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
                })).stream().filter(java.util.Objects::nonNull).findFirst();
    }

    @Override
    public List<String> jobWaitingKinds() {
        return db.withConnection("waiting kinds", c -> db.query(c, "jobWaitingKinds", SqlParams.of(), rs -> rs.getString(1)));
    }

    @Override
    public List<Job> jobExpiredLeases(int limit) {
        return db.withConnection("expired lease scan",
                c -> db.query(c, "jobExpiredLeases", SqlParams.of().set("limit", limit), JobRows::map));
    }

    @Override
    public boolean jobRescue(JobRescue r) {
        return db.inTransaction("rescue of job " + r.id(), c -> {
            // A discarded job lets its stream's next job go: the stream's lock comes before the row.
            String stream = "discarded".equals(r.state()) ? lockStreamOf(c, r.id()) : null;
            boolean rescued = db.update(c, "jobRescue", SqlParams.of()
                    .set("id", r.id())
                    .set("owner", r.expiredOwner())
                    .set("state", r.state())
                    .set("retry_delay_ms", r.retryDelayMillis())
                    .set("errors", r.errors())) == 1;
            if (rescued && stream != null) {
                releaseStreams(c, List.of(stream));
            }
            return rescued;
        });
    }

    @Override
    public int jobPruneFinished(Duration retention, int limit) {
        return db.withConnection("retention pruning", c -> db.update(c, "jobPruneFinished",
                SqlParams.of().set("retention_ms", retention.toMillis()).set("limit", limit)));
    }

    @Override
    public int jobStreamRepair(int limit) {
        return db.inTransaction("stream repair", c -> {
            List<String> stalled = db.query(c, "jobStreamsStalled", SqlParams.of().set("limit", limit), rs -> rs.getString(1));
            // Every lock before the first promotion writes a row (see StreamGate).
            lockStreams(c, stalled);
            int promoted = 0;
            for (String stream : new java.util.TreeSet<>(stalled)) {
                promoted += gate.promote(c, stream);
            }
            return promoted;
        });
    }

    @Override
    public int lockPrune(Duration age) {
        return db.withConnection("lock pruning", c -> db.update(c, "lockPrune", SqlParams.of().set("age_ms", age.toMillis())));
    }

    @Override
    public Instant now() {
        return db.withConnection("clock read",
                c -> db.query(c, "dbNow", SqlParams.of(), rs -> Instant.ofEpochMilli(rs.getLong(1))).getFirst());
    }
}
