package dev.sluice.runtime;

import dev.sluice.metrics.SluiceMetrics;
import dev.sluice.store.QueueStateCount;
import java.util.HashSet;
import java.util.Set;

/** Refreshes the queue depth gauges from one grouped count. */
final class DepthPoller implements PeriodicLoop.Body {
    private final NodeContext node;

    DepthPoller(NodeContext node) {
        this.node = node;
    }

    @Override
    public void run() {
        Set<String> seen = new HashSet<>();
        for (QueueStateCount c : node.store().jobCountByQueueAndState()) {
            node.metrics().depth(c.queue(), c.state(), c.count());
            seen.add(SluiceMetrics.depthKey(c.queue(), c.state()));
        }
        node.metrics().zeroDepthsExcept(seen);
    }
}
