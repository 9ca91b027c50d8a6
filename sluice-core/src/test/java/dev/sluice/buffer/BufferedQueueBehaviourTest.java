package dev.sluice.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.sluice.buffer.store.BatchCounts;
import dev.sluice.buffer.store.BatchState;
import dev.sluice.buffer.store.BatchStore;
import dev.sluice.buffer.store.StoredBatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * What a {@link BufferedQueue} promises, on every store. Each subclass names a store; every
 * queue in one test reaches the same store, and each test uses a queue name of its own, so tests
 * never see each other's batches.
 */
abstract class BufferedQueueBehaviourTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    record Item(int id, String word, long count) {
        Item plus(Item other) {
            return new Item(id, word, count + other.count);
        }
    }

    private final List<BufferedQueue<?>> queues = new ArrayList<>();
    private final List<BatchStore> stores = new ArrayList<>();
    private String name;

    /** Points {@code builder} at this test's store. */
    abstract <T> BufferedQueue.Builder<T> onStore(BufferedQueue.Builder<T> builder);

    /** Opens a handle on this test's store, for looking at it directly. */
    abstract BatchStore openStore();

    @BeforeEach
    void nameTheQueue(TestInfo test) {
        name = test.getTestMethod().orElseThrow().getName();
        name = name.length() > 90 ? name.substring(0, 90) : name;
    }

    @AfterEach
    void closeQueues() {
        for (BufferedQueue<?> q : queues) {
            if (q.isOpen()) {
                q.close();
            }
        }
        stores.forEach(BatchStore::close);
    }

    /** A queue on this test's store that flushes only when told to and stores without working. */
    BufferedQueue.Builder<Item> builder() {
        return onStore(BufferedQueue.builder(Item.class)
                .name(name)
                .flushBytes(0).flushPushes(0).flushTimeout(Duration.ZERO)
                .workers(0)
                .pollInterval(Duration.ofMillis(20))
                .metricsInterval(Duration.ofMillis(50))
                .shutdownGrace(Duration.ofSeconds(2)));
    }

    <T> BufferedQueue<T> open(BufferedQueue.Builder<T> builder) {
        BufferedQueue<T> q = builder.build();
        queues.add(q);
        return q;
    }

    BatchStore store() {
        BatchStore s = openStore();
        stores.add(s);
        return s;
    }

    static Item item(int id) {
        return new Item(id, "w" + id, 1);
    }

    // --- flush triggers -------------------------------------------------------------------

    @Test
    void flushesWhenThePushedItemsReachFlushBytes() {
        String big = "x".repeat(100);
        BufferedQueue<Item> q = open(builder().flushBytes(300));
        q.push(new Item(1, big, 1));
        q.push(new Item(2, big, 1));
        assertThat(q.stats().batches()).isZero();
        q.push(new Item(3, big, 1));
        await().atMost(WAIT).until(() -> q.stats().batches() == 1);
        assertThat(q.stats().readyItems()).isEqualTo(3);
    }

    @Test
    void flushesAfterFlushPushes() {
        BufferedQueue<Item> q = open(builder().flushPushes(3));
        q.push(item(1));
        q.push(item(2));
        assertThat(q.stats().batches()).isZero();
        q.push(item(3));
        await().atMost(WAIT).until(() -> q.stats().batches() == 1);
        q.push(item(4));
        assertThat(q.stats()).extracting(BatchCounts::batches, BatchCounts::items).containsExactly(1L, 3L);
    }

    @Test
    void flushItemsCountsTheItemsLeftAfterMerging() {
        BufferedQueue<Item> q = open(builder().flushItems(2).merging(Item::word, Item::plus));
        for (int i = 0; i < 5; i++) {
            q.push(new Item(i, "same", 1));
        }
        assertThat(q.stats().batches()).isZero();
        q.push(new Item(9, "other", 1));
        await().atMost(WAIT).until(() -> q.stats().batches() == 1);
        assertThat(q.stats().readyItems()).isEqualTo(2);
    }

    @Test
    void flushesWhenTheOldestPushReachesFlushTimeout() {
        BufferedQueue<Item> q = open(builder().flushTimeout(Duration.ofMillis(100)));
        q.push(item(1));
        await().atMost(WAIT).until(() -> q.stats().batches() == 1);
        assertThat(q.stats().readyItems()).isEqualTo(1);
    }

    @Test
    void flushReturnsOnceEverythingPushedIsStoredAsOneBatch() {
        BufferedQueue<Item> q = open(builder());
        q.push(item(1));
        q.push(item(2));
        q.flush();
        assertThat(q.stats()).extracting(BatchCounts::batches, BatchCounts::items).containsExactly(1L, 2L);
    }

    @Test
    void closeStoresWhatIsStillInTheMemoryBuffer() {
        BufferedQueue<Item> q = open(builder());
        q.push(item(1));
        q.push(item(2));
        q.close();
        BufferedQueue<Item> reopened = open(builder());
        assertThat(reopened.stats()).extracting(BatchCounts::batches, BatchCounts::items).containsExactly(1L, 2L);
    }

    // --- workers --------------------------------------------------------------------------

    @Test
    void workersTakeTheHighestPriorityThenTheOldestBatchFirst() {
        BufferedQueue<Item> low = open(builder());
        BufferedQueue<Item> high = open(builder().priority(5));
        low.push(new Item(1, "a1", 1));
        low.flush();
        low.push(new Item(2, "a2", 1));
        low.flush();
        high.push(new Item(3, "b1", 1));
        high.flush();
        List<String> order = new CopyOnWriteArrayList<>();
        open(builder().workers(1).batchesPerTake(1)
                .processor((batch, queue) -> batch.forEach(i -> order.add(i.word()))));
        await().atMost(WAIT).until(() -> order.size() == 3);
        assertThat(order).containsExactly("b1", "a1", "a2");
    }

    @Test
    void severalBatchesTakenAtOnceAreMergedThroughTheWorkersBuffer() {
        BufferedQueue<Item> producer = open(builder());
        producer.pushAll(List.of(new Item(1, "a", 1), new Item(2, "b", 1)));
        producer.flush();
        producer.push(new Item(3, "a", 2));
        producer.flush();
        producer.pushAll(List.of(new Item(4, "b", 3), new Item(5, "c", 1)));
        producer.flush();
        List<List<Item>> calls = new CopyOnWriteArrayList<>();
        open(builder().workers(1).batchesPerTake(3).merging(Item::word, Item::plus)
                .processor((batch, queue) -> calls.add(batch)));
        await().atMost(WAIT).until(() -> calls.size() == 1);
        assertThat(calls.getFirst()).extracting(Item::word, Item::count)
                .containsExactly(tuple("a", 3L), tuple("b", 4L), tuple("c", 1L));
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    @Test
    void everyItemIsProcessedExactlyOnceByTwoQueuesOfTwoWorkersEach() {
        int n = 20_000;
        Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
        AtomicInteger processed = new AtomicInteger();
        BatchProcessor<Item> count = (batch, queue) -> {
            for (Item i : batch) {
                seen.computeIfAbsent(i.id(), k -> new AtomicInteger()).incrementAndGet();
            }
            processed.addAndGet(batch.size());
        };
        open(builder().workers(2).batchesPerTake(3).processor(count));
        open(builder().workers(2).batchesPerTake(3).processor(count));
        BufferedQueue<Item> producer = open(builder().flushPushes(50));
        for (int i = 0; i < n; i++) {
            producer.push(item(i));
        }
        producer.flush();
        await().atMost(Duration.ofMinutes(3)).until(() -> processed.get() >= n);
        assertThat(seen).hasSize(n);
        assertThat(seen.values()).allSatisfy(c -> assertThat(c).hasValue(1));
        await().atMost(WAIT).until(() -> producer.stats().batches() == 0);
        assertThat(processed).hasValue(n);
    }

    // --- failures -------------------------------------------------------------------------

    @Test
    void failedProcessingIsRetriedWithBackOffUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        List<ProcessFailure> failures = new CopyOnWriteArrayList<>();
        List<Item> done = new CopyOnWriteArrayList<>();
        BufferedQueue<Item> q = open(builder().workers(1)
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ofMillis(20), Duration.ofMillis(100)).maxAttempts(5))
                .processErrorHandler(failures::add)
                .processor((batch, queue) -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("boom " + calls.get());
                    }
                    done.addAll(batch);
                }));
        q.push(item(1));
        q.flush();
        await().atMost(WAIT).until(() -> done.size() == 1);
        assertThat(calls).hasValue(3);
        assertThat(failures).extracting(ProcessFailure::attempt, ProcessFailure::parked)
                .containsExactly(tuple(1, false), tuple(2, false));
        assertThat(failures.getFirst().error()).hasMessage("boom 1");
        await().atMost(WAIT).until(() -> q.stats().batches() == 0);
    }

    @Test
    void aRetriedBatchWaitsOutItsDelayWithItsAttemptAndErrorRecorded() {
        BufferedQueue<Item> q = open(builder().workers(1)
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ofHours(1), Duration.ofHours(2)))
                .processor((batch, queue) -> {
                    throw new IllegalStateException("not now");
                }));
        q.push(item(1));
        q.flush();
        BatchStore store = store();
        await().atMost(WAIT).until(() -> store.batchList(q.name(), BatchState.READY, 10).stream()
                .anyMatch(b -> b.attempts() == 1));
        StoredBatch batch = store.batchList(q.name(), BatchState.READY, 10).getFirst();
        assertThat(batch.lastError()).contains("not now");
        assertThat(batch.dueAt()).isAfter(batch.createdAt().plus(Duration.ofMinutes(30)));
    }

    @Test
    void aBatchWithNoAttemptsLeftStaysStoredAsFailedWithItsPriority() {
        AtomicInteger calls = new AtomicInteger();
        BufferedQueue<Item> q = open(builder().workers(1).priority(7)
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ofMillis(10), Duration.ofMillis(10)).maxAttempts(2))
                .processor((batch, queue) -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException("boom");
                }));
        q.pushAll(List.of(item(1), item(2)));
        q.flush();
        await().atMost(WAIT).until(() -> q.failedBatches(10).size() == 1);
        FailedBatch<Item> failed = q.failedBatches(10).getFirst();
        assertThat(failed.priority()).isEqualTo(7);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.items()).containsExactly(item(1), item(2));
        assertThat(failed.lastError()).contains("boom");
        assertThat(failed.retryAt()).isNull();
        assertThat(q.stats()).extracting(BatchCounts::failedBatches, BatchCounts::readyBatches, BatchCounts::failedItems)
                .containsExactly(1L, 0L, 2L);
        assertThat(calls).hasValue(2);
    }

    @Test
    void retryFailedRunsAParkedBatchAgain() {
        AtomicBoolean fixed = new AtomicBoolean();
        List<Item> done = new CopyOnWriteArrayList<>();
        BufferedQueue<Item> q = open(builder().workers(1)
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ZERO, Duration.ZERO).maxAttempts(1))
                .processor((batch, queue) -> {
                    if (!fixed.get()) {
                        throw new IllegalStateException("not yet");
                    }
                    done.addAll(batch);
                }));
        q.push(item(1));
        q.flush();
        await().atMost(WAIT).until(() -> q.stats().failedBatches() == 1);
        fixed.set(true);
        assertThat(q.retryFailed()).isEqualTo(1);
        await().atMost(WAIT).until(() -> done.size() == 1);
        await().atMost(WAIT).until(() -> q.stats().batches() == 0);
    }

    @Test
    void aCoolDownGivesAFailedBatchAFreshRoundOfAttempts() {
        AtomicInteger calls = new AtomicInteger();
        List<ProcessFailure> failures = new CopyOnWriteArrayList<>();
        List<Item> done = new CopyOnWriteArrayList<>();
        open(builder().workers(1)
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ZERO, Duration.ZERO).maxAttempts(1)
                        .coolDown(Duration.ofMillis(50)))
                .processErrorHandler(failures::add)
                .processor((batch, queue) -> {
                    if (calls.incrementAndGet() < 3) {
                        throw new IllegalStateException("cooling");
                    }
                    done.addAll(batch);
                }));
        BufferedQueue<Item> producer = open(builder());
        producer.push(item(1));
        producer.flush();
        await().atMost(WAIT).until(() -> done.size() == 1);
        assertThat(failures).extracting(ProcessFailure::attempt, ProcessFailure::parked)
                .containsExactly(tuple(1, true), tuple(1, true));
    }

    @Test
    void deleteFailedRemovesAParkedBatchForGood() {
        BufferedQueue<Item> q = open(builder().workers(1)
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ZERO, Duration.ZERO).maxAttempts(1))
                .processor((batch, queue) -> {
                    throw new IllegalStateException("never");
                }));
        q.push(item(1));
        q.flush();
        await().atMost(WAIT).until(() -> q.stats().failedBatches() == 1);
        long id = q.failedBatches(1).getFirst().id();
        assertThat(q.deleteFailed(id)).isTrue();
        assertThat(q.deleteFailed(id)).isFalse();
        assertThat(q.stats().batches()).isZero();
    }

    @Test
    void aBatchThatCannotBeDecodedIsParkedWithTheDecodersMessage() {
        BatchStore store = store();
        store.batchInsert(name, 0, "not json".getBytes(StandardCharsets.UTF_8), 1);
        BufferedQueue<Item> q = open(builder().workers(1).processor((batch, queue) -> { }));
        await().atMost(WAIT).until(() -> q.stats().failedBatches() == 1);
        FailedBatch<Item> failed = q.failedBatches(1).getFirst();
        assertThat(failed.lastError()).startsWith("cannot decode batch " + failed.id());
        assertThat(failed.items()).isEmpty();
    }

    // --- pushing from the process function ------------------------------------------------

    @Test
    void theProcessFunctionCanPushFollowUpItems() {
        List<Long> seen = new CopyOnWriteArrayList<>();
        open(builder().workers(1).flushPushes(1).processor((batch, queue) -> {
            for (Item i : batch) {
                seen.add(i.count());
                if (i.count() < 3) {
                    queue.push(new Item(i.id(), i.word(), i.count() + 1));
                }
            }
        }));
        BufferedQueue<Item> producer = open(builder());
        producer.push(new Item(1, "chain", 1));
        producer.flush();
        await().atMost(WAIT).until(() -> seen.size() == 3);
        assertThat(seen).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPushFromInsideTheProcessFunctionIsAcceptedWhileClosingAndOneFromOutsideIsNot() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch mayPush = new CountDownLatch(1);
        BufferedQueue<Item> q = open(builder().workers(1).shutdownGrace(Duration.ofSeconds(30))
                .processor((batch, queue) -> {
                    if (batch.getFirst().word().equals("start")) {
                        started.countDown();
                        mayPush.await();
                        queue.push(new Item(2, "follow-up", 1));
                    }
                }));
        q.push(new Item(1, "start", 1));
        q.flush();
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            Future<?> closing = closer.submit(q::close);
            await().atMost(WAIT).until(() -> !q.isOpen());
            assertThatThrownBy(() -> q.push(item(3)))
                    .isInstanceOf(QueueClosedException.class).hasMessageContaining("queue is closed");
            mayPush.countDown();
            closing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            closer.shutdownNow();
        }
        BufferedQueue<Item> after = open(builder());
        assertThat(after.stats()).extracting(BatchCounts::readyBatches, BatchCounts::readyItems)
                .containsExactly(1L, 1L);
    }

    // --- closing --------------------------------------------------------------------------

    @Test
    void aClosedQueueRefusesEveryCallWithQueueIsClosed() {
        BufferedQueue<Item> q = open(builder());
        q.close();
        assertThatThrownBy(() -> q.push(item(1))).isInstanceOf(QueueClosedException.class)
                .hasMessageContaining("queue is closed");
        assertThatThrownBy(q::flush).isInstanceOf(QueueClosedException.class).hasMessageContaining("queue is closed");
        assertThatThrownBy(q::close).isInstanceOf(QueueClosedException.class).hasMessageContaining("queue is closed");
        assertThatThrownBy(q::stats).isInstanceOf(QueueClosedException.class).hasMessageContaining("queue is closed");
    }

    @Test
    void closeInterruptsAProcessCallThatOutlivesTheGraceAndHandsItsBatchBackWithoutSpendingAnAttempt()
            throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        BufferedQueue<Item> q = open(builder().workers(1).shutdownGrace(Duration.ofMillis(100))
                .processor((batch, queue) -> {
                    started.countDown();
                    new CountDownLatch(1).await();
                }));
        q.push(item(1));
        q.flush();
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        q.close();
        List<StoredBatch> left = store().batchList(name, null, 10);
        assertThat(left).extracting(StoredBatch::state, StoredBatch::attempts)
                .containsExactly(tuple(BatchState.READY, 0));
    }

    @Test
    void aReopenedQueueProcessesWhatWasStoredAndNotYetProcessed() {
        BufferedQueue<Item> before = open(builder().flushPushes(4));
        IntStream.range(0, 10).forEach(i -> before.push(item(i)));
        before.close();
        Set<Integer> processed = ConcurrentHashMap.newKeySet();
        BufferedQueue<Item> after = open(builder().workers(1)
                .processor((batch, queue) -> batch.forEach(i -> processed.add(i.id()))));
        await().atMost(WAIT).until(() -> processed.size() == 10);
        await().atMost(WAIT).until(() -> after.stats().batches() == 0);
    }

    // --- metrics --------------------------------------------------------------------------

    @Test
    void metricsCountPushedFlushedProcessedErrorsAndDuration() {
        SimpleMeterRegistry producerMeters = new SimpleMeterRegistry();
        BufferedQueue<Item> producer = open(builder().meterRegistry(producerMeters));
        IntStream.range(0, 4).forEach(i -> producer.push(item(i)));
        producer.flush();
        assertThat(producerMeters.get("sluice.buffer.items.pushed").tag("queue", name).counter().count()).isEqualTo(4);
        assertThat(producerMeters.get("sluice.buffer.items.flushed").counter().count()).isEqualTo(4);
        await().atMost(WAIT).until(() -> producerMeters.get("sluice.buffer.batches").gauge().value() == 1
                && producerMeters.get("sluice.buffer.items").gauge().value() == 4);

        SimpleMeterRegistry workerMeters = new SimpleMeterRegistry();
        AtomicInteger calls = new AtomicInteger();
        open(builder().workers(1).meterRegistry(workerMeters)
                .retryPolicy(BatchRetryPolicy.exponential(Duration.ZERO, Duration.ZERO))
                .processErrorHandler(f -> { })
                .processor((batch, queue) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("once");
                    }
                }));
        await().atMost(WAIT).until(() -> workerMeters.get("sluice.buffer.items.processed").counter().count() == 4);
        assertThat(workerMeters.get("sluice.buffer.process.errors").counter().count()).isEqualTo(1);
        assertThat(workerMeters.get("sluice.buffer.process.duration").timer().count()).isEqualTo(2);
        await().atMost(WAIT).until(() -> workerMeters.get("sluice.buffer.batches").gauge().value() == 0);
    }

    // --- the store itself -----------------------------------------------------------------

    @Test
    void aBatchWhoseLeaseExpiredIsTakenAgainAndItsFormerHolderCanNoLongerDeleteIt() {
        BatchStore store = store();
        long id = store.batchInsert(name, 0, new byte[] {1}, 1);
        assertThat(store.batchTake(name, "first", 10, Duration.ofMillis(1))).extracting(StoredBatch::id)
                .containsExactly(id);
        await().atMost(WAIT).until(() -> !store.batchTake(name, "second", 10, Duration.ofMinutes(1)).isEmpty());
        assertThat(store.batchDelete("first", List.of(id))).isZero();
        assertThat(store.batchDelete("second", List.of(id))).isEqualTo(1);
    }

    @Test
    void concurrentTakesNeverHandOutTheSameBatchTwice() throws Exception {
        BatchStore store = store();
        int batches = 200;
        for (int i = 0; i < batches; i++) {
            store.batchInsert(name, i % 3, new byte[] {(byte) i}, 1);
        }
        List<Long> taken = Collections.synchronizedList(new ArrayList<>());
        ExecutorService takers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String owner = "taker-" + t;
                runs.add(takers.submit(() -> {
                    List<StoredBatch> got;
                    while (!(got = store.batchTake(name, owner, 3, Duration.ofMinutes(1))).isEmpty()) {
                        got.forEach(b -> taken.add(b.id()));
                    }
                }));
            }
            for (Future<?> run : runs) {
                run.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            takers.shutdownNow();
        }
        assertThat(taken).hasSize(batches);
        assertThat(new HashSet<>(taken)).hasSize(batches);
    }
}
