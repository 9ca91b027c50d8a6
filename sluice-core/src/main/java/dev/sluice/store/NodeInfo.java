package dev.sluice.store;

import java.time.Instant;
import java.util.List;

/**
 * A registered node.
 *
 * @param id unique per process start
 * @param host the host it runs on
 * @param kinds the kinds it has handlers for
 * @param queues the queues it fetches
 * @param startedAt when it started
 * @param heartbeatAt its last heartbeat
 */
public record NodeInfo(String id, String host, List<String> kinds, List<String> queues, Instant startedAt,
                       Instant heartbeatAt) {
    public NodeInfo {
        kinds = List.copyOf(kinds);
        queues = List.copyOf(queues);
    }
}
