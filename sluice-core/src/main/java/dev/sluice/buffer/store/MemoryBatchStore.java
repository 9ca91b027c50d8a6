package dev.sluice.buffer.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Batches in this process's memory: gone when the process ends. For tests, and for queues whose
 * items may be lost. Same rules as the SQL stores (order, leases, fencing), with one lock around
 * everything. Thread-safe.
 */
final class MemoryBatchStore implements BatchStore {
    private static final Comparator<Row> TAKE_ORDER =
            Comparator.comparingInt((Row r) -> r.priority).reversed().thenComparingLong(r -> r.id);

    /** One batch; guarded by the store's lock. */
    private static final class Row {
        final long id;
        final String queue;
        final int priority;
        final byte[] payload;
        final int items;
        final long createdAt;
        BatchState state = BatchState.READY;
        int attempts;
        Long dueAt;
        String owner;
        String lastError;

        Row(long id, String queue, int priority, byte[] payload, int items, long now) {
            this.id = id;
            this.queue = queue;
            this.priority = priority;
            this.payload = payload;
            this.items = items;
            this.createdAt = now;
            this.dueAt = now;
        }

        StoredBatch view() {
            return new StoredBatch(id, state, priority, attempts, items, payload, Instant.ofEpochMilli(createdAt),
                    dueAt == null ? null : Instant.ofEpochMilli(dueAt), lastError);
        }

        boolean heldBy(String who) {
            return state == BatchState.TAKEN && who.equals(owner);
        }
    }

    private final Clock clock;
    private final TreeMap<Long, Row> rows = new TreeMap<>();
    private long nextId = 1;

    MemoryBatchStore(Clock clock) {
        this.clock = clock;
    }

    private long now() {
        return clock.millis();
    }

    @Override
    public synchronized long batchInsert(String queue, int priority, byte[] payload, int items) {
        long id = nextId++;
        rows.put(id, new Row(id, queue, priority, payload.clone(), items, now()));
        return id;
    }

    @Override
    public synchronized List<StoredBatch> batchTake(String queue, String owner, int limit, Duration lease) {
        long now = now();
        List<Row> due = rows.values().stream()
                .filter(r -> r.queue.equals(queue) && r.dueAt != null && r.dueAt <= now)
                .sorted(TAKE_ORDER).limit(limit).toList();
        List<StoredBatch> taken = new ArrayList<>(due.size());
        for (Row r : due) {
            if (r.state == BatchState.FAILED) {
                r.attempts = 0;
            }
            r.state = BatchState.TAKEN;
            r.owner = owner;
            r.dueAt = now + lease.toMillis();
            taken.add(r.view());
        }
        return taken;
    }

    @Override
    public synchronized int batchDelete(String owner, List<Long> ids) {
        int n = 0;
        for (Long id : ids) {
            Row r = rows.get(id);
            if (r != null && r.heldBy(owner)) {
                rows.remove(id);
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized int batchReturn(String owner, List<BatchReturn> returns) {
        long now = now();
        int n = 0;
        for (BatchReturn ret : returns) {
            Row r = rows.get(ret.id());
            if (r != null && r.heldBy(owner)) {
                r.state = ret.state();
                r.attempts = ret.attempts();
                r.owner = null;
                r.dueAt = ret.delay() == null ? null : now + ret.delay().toMillis();
                if (ret.error() != null) {
                    r.lastError = ret.error();
                }
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized int batchRenewLeases(String owner, Duration lease) {
        long until = now() + lease.toMillis();
        int n = 0;
        for (Row r : rows.values()) {
            if (r.heldBy(owner)) {
                r.dueAt = until;
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized int batchReleaseOwned(String owner) {
        long now = now();
        int n = 0;
        for (Row r : rows.values()) {
            if (r.heldBy(owner)) {
                r.state = BatchState.READY;
                r.owner = null;
                r.dueAt = now;
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized BatchCounts batchCountByState(String queue) {
        long[] batches = new long[BatchState.values().length];
        long[] items = new long[batches.length];
        for (Row r : rows.values()) {
            if (r.queue.equals(queue)) {
                batches[r.state.ordinal()]++;
                items[r.state.ordinal()] += r.items;
            }
        }
        return new BatchCounts(batches[0], batches[1], batches[2], items[0], items[1], items[2]);
    }

    @Override
    public synchronized List<StoredBatch> batchList(String queue, BatchState state, int limit) {
        return rows.values().stream()
                .filter(r -> r.queue.equals(queue) && (state == null || r.state == state))
                .sorted(TAKE_ORDER).limit(limit).map(Row::view).toList();
    }

    @Override
    public synchronized int batchRetryFailed(String queue, Long id) {
        long now = now();
        int n = 0;
        for (Row r : rows.values()) {
            if (r.queue.equals(queue) && r.state == BatchState.FAILED && (id == null || id == r.id)) {
                r.state = BatchState.READY;
                r.attempts = 0;
                r.dueAt = now;
                n++;
            }
        }
        return n;
    }

    @Override
    public synchronized boolean batchDeleteFailed(String queue, long id) {
        Row r = rows.get(id);
        if (r == null || !r.queue.equals(queue) || r.state != BatchState.FAILED) {
            return false;
        }
        rows.remove(id);
        return true;
    }

    @Override
    public void close() {
        // nothing to release: the batches go with the object
    }
}
