package dev.sluice.runtime;

import dev.sluice.ErrorListener;
import dev.sluice.SluiceConfig;
import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.store.JobStore;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the parts of one running node share.
 *
 * @param nodeId this node's id, written as lease owner
 * @param config the node's settings
 * @param store the job store
 * @param handlers handlers by kind
 * @param running attempts in progress on this node, by job and attempt: after a lost lease the node
 *                may run an old attempt of a job and the new one side by side
 * @param leases the attempts whose leases this node knows it holds
 * @param metrics the meters
 * @param errors the background error listener
 * @param timer the scheduler of attempt timeouts
 * @param runner runs attempts
 * @param completer writes their ends
 * @param progress buffers progress reports
 */
record NodeContext(
        String nodeId,
        SluiceConfig config,
        JobStore store,
        Map<String, RegisteredHandler<?>> handlers,
        ConcurrentMap<JobAttempt, RunningJob> running,
        KnownLeases leases,
        SluiceMetrics metrics,
        ErrorListener errors,
        ScheduledExecutorService timer,
        JobRunner runner,
        CompletionWriter completer,
        ProgressBuffer progress) {
}
