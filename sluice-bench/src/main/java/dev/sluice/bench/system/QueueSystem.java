package dev.sluice.bench.system;

import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.db.StoreKind;
import java.util.List;
import java.util.Optional;

/**
 * One job system under measurement, driven the same way for all: open on a fresh database,
 * enqueue, start workers, count what the database says is finished, close. Every job runs a
 * no-op handler that reports to the {@link Probe}. Implementations are used by one thread at a
 * time, except that {@link #completed()} may be called while workers run.
 */
public interface QueueSystem extends AutoCloseable {

    /** The name in results: {@code sluice}, {@code handwritten}, {@code db-scheduler}, {@code jobrunr}. */
    String name();

    /** Why this system cannot run on {@code store}, or empty when it can. */
    default Optional<String> unsupported(StoreKind store) {
        return Optional.empty();
    }

    /** Creates its tables and clients on {@code db}; no job runs until {@link #startWorkers()}. */
    void open(BenchDatabase db, int workers, Probe probe) throws Exception;

    /** Enqueues one job per payload, in as few round trips as the system's API allows. */
    void enqueueMany(List<BenchPayload> payloads) throws Exception;

    /** Enqueues one job, the way an application enqueues a single job. */
    void enqueueOne(BenchPayload payload) throws Exception;

    /** Starts running jobs with {@code workers} at once. */
    void startWorkers() throws Exception;

    /** Jobs the database records as successfully finished. */
    long completed() throws Exception;

    /** Stops workers and closes pools; the database itself is dropped by the caller. */
    @Override
    void close() throws Exception;
}
