package dev.sluice.runtime;

import dev.sluice.internal.Json;
import dev.sluice.job.Job;
import dev.sluice.job.JobError;
import dev.sluice.job.RetryPolicy;
import dev.sluice.store.JobRescue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rescues running jobs whose lease expired (their node died or lost the database): each goes
 * back to retryable with the failure in its history, or is discarded when its attempts are
 * spent. The rescue is fenced on the expired owner, so a node that renewed in between keeps its
 * job. Runs on the leader only.
 */
final class LeaseRescuer {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseRescuer.class);
    private static final int BATCH = 500;

    private final NodeContext node;

    LeaseRescuer(NodeContext node) {
        this.node = node;
    }

    /** Rescues what expired; returns how many jobs were rescued. */
    int run() {
        int rescued = 0;
        List<Job> expired = node.store().jobExpiredLeases(BATCH);
        for (Job job : expired) {
            RegisteredHandler<?> handler = node.handlers().get(job.kind());
            RetryPolicy policy = handler == null ? RetryPolicy.exponential() : handler.options().retryPolicy();
            boolean spent = job.attempt() >= job.maxAttempts() || !policy.retries();
            List<JobError> errors = new ArrayList<>(job.errors());
            errors.add(new JobError(job.attempt(), Instant.now(),
                    "lease expired: node " + job.leaseOwner() + " stopped renewing it (crashed or cut off)",
                    job.leaseOwner()));
            JobRescue rescue = new JobRescue(job.id(), job.leaseOwner(), spent ? "discarded" : "retryable",
                    spent ? 0 : policy.delayAfter(job.attempt()).toMillis(), Json.write(errors));
            if (node.store().jobRescue(rescue)) {
                rescued++;
                node.metrics().count("rescued", job.queue(), job.kind());
                LOG.info("rescued job {} ({}) from node {}: now {}", job.id(), job.kind(), job.leaseOwner(),
                        rescue.state());
            }
        }
        return rescued;
    }
}
