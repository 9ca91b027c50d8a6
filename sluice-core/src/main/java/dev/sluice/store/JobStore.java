package dev.sluice.store;

import dev.sluice.job.CancelResult;
import dev.sluice.job.Job;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Storage of jobs. No logic lives here: each method is one statement or one short transaction,
 * named after the statement it runs. Implementations are thread-safe; every time is the
 * database clock's.
 */
public interface JobStore {

    /**
     * Inserts jobs in one transaction and returns their ids in order. With {@code connection}
     * non-null the insert joins the caller's transaction and is neither committed nor rolled back
     * here.
     */
    default List<Long> jobInsertMany(Connection connection, List<NewJob> jobs) {
        return jobEnqueueMany(connection, jobs).stream().map(dev.sluice.job.EnqueueResult::id).toList();
    }

    /**
     * Inserts jobs in one transaction, applying key policies and stream gates: a keyed job
     * supersedes (or, with keepExisting, yields to) the waiting jobs of its key; a stream job
     * whose stream is at its limit is inserted {@code blocked}. One result per job, in order.
     *
     * <p>{@code jobs} may be a {@link PlainJobs} (only with {@code connection} null), whose
     * {@code get} makes each job when first read and may throw for an invalid request: the store
     * reads it inside its own transaction, which then rolls back, and lets the exception through.
     */
    List<dev.sluice.job.EnqueueResult> jobEnqueueMany(Connection connection, List<NewJob> jobs);

    /**
     * True when {@link #jobEnqueueMany} sends the first rows of a large batch of plain jobs to the
     * database while it still reads the later ones (PostgreSQL's COPY), so that jobs made as they
     * are read ({@link PlainJobs}) are encoded while the server inserts. Elsewhere making them
     * first costs nothing more, and keeps the store's connection and locks out of it.
     */
    default boolean insertsWhileReadingJobs() {
        return false;
    }

    /** Claims up to {@code limit} due jobs, most urgent first, marking them running under a lease. */
    List<Job> jobFetchAvailable(FetchParams params);

    /**
     * Claims like {@link #jobFetchAvailable}, but no more than every window in {@code windows}
     * still allows, and records the starts in them, in one transaction.
     */
    List<Job> jobFetchAvailableRated(FetchParams params, List<RateWindow> windows);

    /**
     * Writes the ends of attempts, each fenced on {@code owner} still running that attempt of the
     * job; returns one result per finish, in the order given. An attempt whose end appears more
     * than once is written once, as its first occurrence says; the repeats are not applied.
     */
    List<FinishResult> jobFinishMany(String owner, List<JobFinish> finishes);

    /**
     * As {@link #jobFinishMany}, and claims for {@code owner} the next jobs of streams the batch
     * releases where {@code claim} allows. Stores that cannot claim this way leave them for the fetch.
     */
    default FinishBatch jobFinishManyClaiming(String owner, List<JobFinish> finishes, StreamClaim claim) {
        return FinishBatch.unclaimed(jobFinishMany(owner, finishes));
    }

    /**
     * Returns a running job to available without spending its attempt, fenced on {@code owner}
     * running that very attempt; false if the lease was lost (or went to a newer attempt).
     */
    boolean jobHandBack(long id, int attempt, String owner);

    /** Extends the lease of each job of {@code ids} that {@code owner} runs; returns how many. */
    default int jobRenewLeases(String owner, List<Long> ids, Duration lease) {
        return jobRenewLeases(owner, ids, lease, lease);
    }

    /**
     * Extends to {@code lease} from now the lease of each job of {@code ids} that {@code owner}
     * runs and that has less than {@code within} left; returns how many. Only the given jobs: a
     * job leased to {@code owner} that the owner does not know it runs must not be kept from
     * other nodes forever.
     */
    int jobRenewLeases(String owner, List<Long> ids, Duration lease, Duration within);

    /** Ids of jobs {@code owner} runs whose cancellation was requested. */
    List<Long> jobCancelRequested(String owner);

    /** Every job whose lease {@code owner} holds, with its attempt and whether it should stop. */
    List<HeldLease> jobLeasesHeld(String owner);

    /** Saves progress reports of running jobs, fenced on the owner and the attempt. */
    void jobProgressMany(String owner, java.util.Collection<Progress> progress);

    /** Cancels a waiting job at once or asks its runner to stop. */
    CancelResult jobCancel(long id);

    /** Makes a discarded or cancelled job available again; false when it is in another state. */
    boolean jobRetry(long id);

    /** Deletes a job that is not running; false when it does not exist or is running. */
    boolean jobDelete(long id);

    Optional<Job> jobGet(long id);

    JobPage jobList(JobQuery query);

    List<QueueStateCount> jobCountByQueueAndState();

    /** The earliest run-at of a waiting job of these kinds on this queue, if any. */
    Optional<Instant> jobNextRunAt(String queue, List<String> kinds);

    /** Kinds that have at least one waiting job. */
    List<String> jobWaitingKinds();

    /** Running jobs whose lease expired, at most {@code limit}. */
    List<Job> jobExpiredLeases(int limit);

    /** Applies one rescue; false when the job moved on meanwhile. */
    boolean jobRescue(JobRescue rescue);

    /** Deletes up to {@code limit} jobs that finished more than {@code retention} ago. */
    int jobPruneFinished(Duration retention, int limit);

    /**
     * Promotes blocked jobs of streams that have no active job (a safety net: promotion normally
     * happens in the transaction that ends a stream's active job). Returns how many were promoted.
     */
    int jobStreamRepair(int limit);

    /** Deletes lock rows untouched for {@code age} (dialects whose locks are rows). */
    int lockPrune(Duration age);

    /** The database clock. */
    Instant now();

    /**
     * A progress report of one attempt of a job.
     *
     * @param jobId the job
     * @param attempt the attempt that reported it; a report of an earlier attempt is not saved
     * @param fraction in [0, 1]
     * @param message or null
     */
    record Progress(long jobId, int attempt, double fraction, String message) {
    }
}
