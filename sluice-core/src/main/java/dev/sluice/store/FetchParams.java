package dev.sluice.store;

import java.util.List;

/**
 * One claim of due jobs.
 *
 * @param queue the queue to fetch from
 * @param kinds the kinds this node has handlers for; others are left for other nodes
 * @param limit the most jobs to claim
 * @param owner the node id written as lease owner
 * @param leaseMillis how long the lease lasts before it must be renewed
 */
public record FetchParams(String queue, List<String> kinds, int limit, String owner, long leaseMillis) {
    public FetchParams {
        kinds = List.copyOf(kinds);
    }
}
