package dev.sluice.store;

import java.util.List;

/**
 * What a node may take for itself when its completions let the next job of a stream go: a
 * promoted job that is due and whose (queue, kind) the node serves is claimed for the node in the
 * same transaction instead of being left for a fetch. The pairs are parallel lists.
 *
 * @param queues the queue of each pair
 * @param kinds the kind of each pair
 * @param leaseMillis the lease of a claimed job
 */
public record StreamClaim(List<String> queues, List<String> kinds, long leaseMillis) {
    /** Claims nothing: promoted jobs are left for the fetch. */
    public static final StreamClaim NONE = new StreamClaim(List.of(), List.of(), 0);

    public StreamClaim {
        queues = List.copyOf(queues);
        kinds = List.copyOf(kinds);
        if (queues.size() != kinds.size()) {
            throw new IllegalArgumentException("queues and kinds must pair up: " + queues.size() + " vs " + kinds.size());
        }
    }

    public boolean isEmpty() {
        return queues.isEmpty();
    }
}
