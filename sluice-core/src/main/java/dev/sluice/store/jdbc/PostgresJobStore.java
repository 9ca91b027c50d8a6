package dev.sluice.store.jdbc;

import dev.sluice.job.Job;
import dev.sluice.store.FetchParams;
import dev.sluice.store.FinishBatch;
import dev.sluice.store.FinishResult;
import dev.sluice.store.JobFinish;
import dev.sluice.store.NewJob;
import dev.sluice.store.StreamClaim;
import dev.sluice.store.jdbc.SqlParams.SqlList;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's job store: many rows per statement through arrays ({@code unnest}), or binary COPY
 * for large batches ({@link PostgresJobCopier}), a NOTIFY in
 * the enqueueing transaction so that idle nodes wake when it commits, and claims committed
 * asynchronously (enqueues and completions stay synchronous). Thread-safe.
 */
final class PostgresJobStore extends JdbcJobStore {

    PostgresJobStore(JdbcExecutor db) {
        super(db);
    }

    @Override
    public boolean insertsWhileReadingJobs() {
        return true;
    }

    @Override
    protected List<Long> insertMany(Connection c, List<NewJob> jobs) throws SQLException {
        List<Long> ids = jobs.size() >= PostgresJobCopier.MIN_JOBS && PostgresJobCopier.canCopy(c)
                ? new PostgresJobCopier(db).insert(c, jobs)
                : db.query(c, "jobInsertMany", insertManyParams(jobs), rs -> rs.getLong(1));
        notifyQueues(db, c, jobs);
        return ids;
    }

    /** The parameters of {@code jobInsertMany}: one array per column. */
    static SqlParams insertManyParams(List<NewJob> jobs) {
        int n = jobs.size();
        List<String> kinds = new ArrayList<>(n);
        List<String> queues = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<Integer> priorities = new ArrayList<>(n);
        List<String> payloads = new ArrayList<>(n);
        List<String> tags = new ArrayList<>(n);
        List<Integer> maxAttempts = new ArrayList<>(n);
        List<Long> runAts = new ArrayList<>(n);
        List<Long> delays = new ArrayList<>(n);
        List<String> keys = new ArrayList<>(n);
        List<String> streams = new ArrayList<>(n);
        List<Integer> streamLimits = new ArrayList<>(n);
        for (NewJob j : jobs) {
            keys.add(j.key());
            streams.add(j.stream());
            streamLimits.add(j.streamLimit());
            kinds.add(j.kind());
            queues.add(j.queue());
            states.add(j.state());
            priorities.add(j.priority());
            payloads.add(j.payload());
            tags.add(j.tags());
            maxAttempts.add(j.maxAttempts());
            runAts.add(j.runAtMillis());
            delays.add(j.delayMillis());
        }
        return SqlParams.of()
                .set("kinds", SqlList.text(kinds))
                .set("queues", SqlList.text(queues))
                .set("states", SqlList.text(states))
                .set("priorities", SqlList.integer(priorities))
                .set("payloads", SqlList.text(payloads))
                .set("tags", SqlList.text(tags))
                .set("max_attempts", SqlList.integer(maxAttempts))
                .set("run_ats", SqlList.bigint(runAts))
                .set("delays", SqlList.bigint(delays))
                .set("job_keys", SqlList.text(keys))
                .set("streams", SqlList.text(streams))
                .set("stream_limits", SqlList.integer(streamLimits));
    }

    /** NOTIFY in the inserting transaction: idle nodes fetch the jobs when it commits. */
    static void notifyQueues(JdbcExecutor db, Connection c, List<NewJob> jobs) throws SQLException {
        LinkedHashSet<String> notify = new LinkedHashSet<>();
        for (NewJob j : jobs) {
            notify.add(j.queue());
        }
        db.query(c, "jobNotify", SqlParams.of().set("queues", SqlList.text(List.copyOf(notify))), rs -> null);
    }

    /**
     * One statement in autocommit (a single round trip) that commits without waiting for the WAL
     * flush; see jobFetchAvailable in job.sql.
     */
    @Override
    public List<Job> jobFetchAvailable(FetchParams p) {
        return sorted(db.withConnection("fetch from queue " + p.queue(),
                c -> db.query(c, "jobFetchAvailable", fetchParams(p), JobRows.claimed(p.owner()))));
    }

    @Override
    public List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes) {
        return jobFinishManyClaiming(owner, finishes, StreamClaim.NONE).results();
    }

    @Override
    public FinishBatch jobFinishManyClaiming(String owner, List<JobFinish> finishes, StreamClaim claim) {
        if (finishes.isEmpty()) {
            return new FinishBatch(List.of(), List.of(), false);
        }
        List<JobFinish> written = firstOfEachAttempt(finishes);
        int n = written.size();
        List<Long> ids = new ArrayList<>(n);
        List<Integer> attempts = new ArrayList<>(n);
        List<String> states = new ArrayList<>(n);
        List<Long> delays = new ArrayList<>(n);
        List<String> results = new ArrayList<>(n);
        List<String> errors = new ArrayList<>(n);
        for (JobFinish f : written) {
            ids.add(f.id());
            attempts.add(f.attempt());
            states.add(f.state());
            delays.add(f.retryDelayMillis());
            results.add(f.result());
            errors.add(f.errors());
        }
        return db.inTransaction("completion of " + finishes.size() + " job(s)", c -> {
            // The streams' locks before the rows (see StreamGate): a job that ends lets its
            // stream's next job go under the lock, and a cancellation holds the lock, then the row.
            lockStreams(c, streamsOf(finishes));
            Map<Attempt, String> applied = new HashMap<>();
            db.query(c, "jobFinishMany", SqlParams.of()
                    .set("ids", SqlList.bigint(ids))
                    .set("attempts", SqlList.integer(attempts))
                    .set("states", SqlList.text(states))
                    .set("retry_delays", SqlList.bigint(delays))
                    .set("results", SqlList.text(results))
                    .set("errors", SqlList.text(errors))
                    .set("owner", owner), rs -> applied.put(new Attempt(rs.getLong(1), rs.getInt(2)), rs.getString(3)));
            List<FinishResult> out = resultsByAttempt(finishes, applied);
            Promotion promotion = promote(c, streamsFreed(finishes, out), owner, claim);
            return new FinishBatch(out, promotion.claimed(), promotion.leftForFetch());
        });
    }

    /** All of them in one statement. */
    @Override
    protected void lockStreams(Connection c, List<String> streams) throws SQLException {
        if (!streams.isEmpty()) {
            db.query(c, "streamLockMany", SqlParams.of().set("streams", SqlList.text(streams)), rs -> null);
        }
    }

    @Override
    protected void releaseStreams(Connection c, List<String> streams) throws SQLException {
        promote(c, streams, null, StreamClaim.NONE);
    }

    /** What a promotion did: the jobs it claimed, and whether it let others go for any node to fetch. */
    private record Promotion(List<Job> claimed, boolean leftForFetch) {
    }

    /**
     * Lets the next jobs of {@code streams} go, claiming for {@code owner} those {@code claim}
     * allows. The caller holds the streams' locks.
     */
    private Promotion promote(Connection c, List<String> streams, String owner, StreamClaim claim) throws SQLException {
        if (streams.isEmpty()) {
            return new Promotion(List.of(), false);
        }
        java.util.Set<String> queues = new java.util.TreeSet<>();
        List<Job> claimed = new ArrayList<>();
        List<String> again = streams;
        while (!again.isEmpty()) {
            // With an empty claim (no pairs) nothing is claimed and every promoted job is left for the fetch.
            List<Promoted> promoted = db.query(c, "jobStreamPromoteHeadsClaiming", SqlParams.of()
                            .set("streams", SqlList.text(again))
                            .set("owner", owner)
                            .set("lease_ms", claim.leaseMillis())
                            .set("local_queues", SqlList.text(claim.queues()))
                            .set("local_kinds", SqlList.text(claim.kinds())),
                    rs -> {
                        Job job = JobRows.map(rs);
                        return new Promoted(job.queue(), job.stream(), rs.getInt("promoted_stream_limit"),
                                rs.getBoolean("promoted_claimed") ? job : null);
                    });
            for (Promoted p : promoted) {
                if (p.claimed() != null) {
                    claimed.add(p.claimed());
                } else {
                    queues.add(p.queue());
                }
            }
            // Only a stream whose limit is above one may take another job in the same round.
            again = promoted.stream().filter(p -> p.streamLimit() > 1).map(Promoted::stream).distinct().toList();
        }
        if (!queues.isEmpty()) {
            db.query(c, "jobNotify", SqlParams.of().set("queues", SqlList.text(List.copyOf(queues))), rs -> null);
        }
        return new Promotion(claimed, !queues.isEmpty());
    }

    /** A job let go by a promotion: its queue, stream and the stream's limit; the job itself if claimed. */
    private record Promoted(String queue, String stream, int streamLimit, Job claimed) {
    }

    @Override
    protected void afterGatedInsert(Connection c, List<String> queues) throws SQLException {
        db.query(c, "jobNotify", SqlParams.of().set("queues", SqlList.text(queues)), rs -> null);
    }

    @Override
    protected void afterCancelRequested(Connection c, long id) throws SQLException {
        db.query(c, "jobNotifyCancel", SqlParams.of().set("id", id), rs -> null);
    }
}
