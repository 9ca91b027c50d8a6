package dev.sluice.bench.system;

import dev.sluice.Sluice;
import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.job.JobOutcome;
import dev.sluice.job.JobRequest;
import dev.sluice.job.JobState;
import dev.sluice.store.QueueStateCount;
import java.util.ArrayList;
import java.util.List;

/**
 * Sluice through its public API, as an application embeds it: one queue with {@code workers}
 * concurrency, a handler that returns {@link JobOutcome#success()}, {@code enqueueAll} for bulk
 * inserts. Settings other than the defaults are listed in {@link #SETTINGS} and in the report.
 */
public final class SluiceSystem implements QueueSystem {
    /** The non-default settings, for the report. */
    public static final String SETTINGS = "queue concurrency = workers; prefetch = 100 x workers; "
            + "fetchBatchSize 400; pool size = workers + 4; all else default";
    /**
     * Jobs claimed ahead of free slots, per worker: the hand-written queue's workers each hold a
     * claim of 100, so Sluice gets the same number of claimed-but-waiting jobs. Short jobs then
     * need few, large fetches. Override with -Dsluice.bench.prefetchPerWorker.
     */
    static final int PREFETCH_PER_WORKER = Integer.getInteger("sluice.bench.prefetchPerWorker", 100);
    /**
     * Jobs one fetch claims at most (Sluice's default is 100): Sluice has one fetcher per queue where
     * the hand-written queue has a claimer per worker, so its claims are larger. Override with
     * -Dsluice.bench.fetchBatch.
     */
    static final int FETCH_BATCH = Integer.getInteger("sluice.bench.fetchBatch", 400);
    static final String KIND = "bench.noop";

    private Sluice sluice;

    @Override
    public String name() {
        return "sluice";
    }

    @Override
    public void open(BenchDatabase db, int workers, Probe probe) {
        sluice = Sluice.builder()
                .jdbcUrl(db.url(), db.user(), db.password())
                .poolSize(workers + 4)
                .queue(JobRequest.DEFAULT_QUEUE, workers)
                .prefetch(PREFETCH_PER_WORKER * workers)
                .fetchBatchSize(FETCH_BATCH)
                .handler(KIND, BenchPayload.class, (payload, ctx) -> {
                    probe.jobStarted(payload.enqueuedNanos());
                    return JobOutcome.success();
                })
                .build();
    }

    @Override
    public void enqueueMany(List<BenchPayload> payloads) {
        List<JobRequest> requests = new ArrayList<>(payloads.size());
        for (BenchPayload p : payloads) {
            requests.add(JobRequest.of(KIND, p));
        }
        sluice.enqueueAll(requests);
    }

    @Override
    public void enqueueOne(BenchPayload payload) {
        sluice.enqueue(KIND, payload);
    }

    @Override
    public void startWorkers() {
        sluice.start();
    }

    @Override
    public long completed() {
        long n = 0;
        for (QueueStateCount c : sluice.counts()) {
            if (JobState.COMPLETED.dbName().equals(c.state())) {
                n += c.count();
            }
        }
        return n;
    }

    @Override
    public void close() {
        if (sluice != null) {
            sluice.close();
        }
    }
}
