package dev.sluice.wal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A sink that keeps what it applied, once per entry, and can be made to fail. */
final class MemorySink implements WalSink {
    final Map<Long, byte[]> applied = new ConcurrentHashMap<>();
    final Map<Long, AtomicInteger> offered = new ConcurrentHashMap<>();
    volatile boolean down;
    volatile long forgotThrough;

    @Override
    public int apply(long logId, List<List<WalRecord>> batches) throws Exception {
        if (down) {
            throw new java.sql.SQLException("database unreachable (test)");
        }
        int n = 0;
        for (WalRecord r : batches.stream().flatMap(List::stream).toList()) {
            offered.computeIfAbsent(r.entryId(), k -> new AtomicInteger()).incrementAndGet();
            if (applied.putIfAbsent(r.entryId(), r.payload()) == null) {
                n++;
            }
        }
        return n;
    }

    @Override
    public void forget(long logId, long throughEntryId) {
        forgotThrough = throughEntryId;
    }
}
