package dev.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private WalConfig config() {
        return WalConfig.defaults(dir).flushInterval(Duration.ofMillis(200));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void everyAppendedRecordReachesTheSinkOnceInDurableAndRelaxedMode() {
        for (WalMode mode : WalMode.values()) {
            MemorySink sink = new MemorySink();
            Path d = dir.resolve(mode.name());
            try (WriteAheadLog log = WriteAheadLog.open(config().directory(d).mode(mode), sink, null)) {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    ids.add(log.append(1, bytes("r" + i)));
                }
                assertThat(log.awaitFlushed(WAIT)).isTrue();
                assertThat(sink.applied.keySet()).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(new String(sink.applied.get(ids.get(7)), StandardCharsets.UTF_8)).isEqualTo("r7");
            }
        }
    }

    @Test
    void manyProducersShareFsyncsInDurableMode() throws Exception {
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            List<Long> all = fromThreads(8, 200, t -> log.append(2, bytes("x")));
            assertThat(all).doesNotHaveDuplicates().hasSize(1600);
            WalStats stats = log.stats();
            assertThat(stats.fsyncs()).isLessThan(1600);
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            assertThat(sink.applied).hasSize(1600);
        }
    }

    @Test
    void durableGroupsCommittedByTheirAppendersRollSegmentsAndKeepEveryRecord() throws Exception {
        MemorySink sink = new MemorySink();
        List<Long> all;
        try (WriteAheadLog log = WriteAheadLog.open(config().maxSegmentSize(7), sink, null)) {
            all = fromThreads(8, 150, t -> log.append(2, bytes("t" + t)));
            assertThat(log.stats().recordsPerFsync()).as("groups share fsyncs").isGreaterThan(1.0);
            assertThat(log.awaitFlushed(WAIT)).isTrue();
        }
        assertThat(all).doesNotHaveDuplicates().hasSize(1200);
        assertThat(sink.applied.keySet()).containsExactlyInAnyOrderElementsOf(all);
        try (WriteAheadLog reopened = WriteAheadLog.open(config().maxSegmentSize(7), new MemorySink(), null)) {
            assertThat(reopened.recovery().damages()).isEmpty();
            assertThat(reopened.append(2, bytes("next"))).isEqualTo(1201);
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a missed wake-up hangs an appender
    void durableAppendersOnVirtualAndPlatformThreadsTogetherAllReturnWithEveryRecordKept() throws Exception {
        MemorySink sink = new MemorySink();
        List<Long> all = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(config().maxSegmentSize(11), sink, null);
             ExecutorService side = Executors.newSingleThreadExecutor()) {
            // groups mix waiters of both kinds, and each kind passes wake-ups on to the other
            Future<List<Long>> platform = side.submit(
                    () -> fromThreads(6, 150, t -> log.append(2, bytes("p" + t))));
            all.addAll(fromThreads(Executors.newVirtualThreadPerTaskExecutor(), 10, 150,
                    t -> log.append(2, bytes("v" + t))));
            all.addAll(platform.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertThat(log.stats().recordsPerFsync()).as("groups share fsyncs").isGreaterThan(1.0);
            assertThat(log.awaitFlushed(WAIT)).isTrue();
        }
        assertThat(all).doesNotHaveDuplicates().hasSize(2400);
        assertThat(sink.applied.keySet()).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void nonDurableAppendsInDurableModeAreWrittenWithoutAnyoneWaitingForThem() {
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                ids.add(log.append(1, bytes("n" + i), false));
            }
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            assertThat(sink.applied.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            long durable = log.append(1, bytes("d"), true);
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            assertThat(sink.applied).containsKey(durable);
        }
    }

    @Test
    void interruptedDurableAppendersNeverStrandTheRestOfTheirGroup() throws Exception {
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config().maxSegmentSize(50), sink, null)) {
            List<Thread> producers = new ArrayList<>();
            List<Long> acknowledged = Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 8; t++) {
                producers.add(Thread.ofPlatform().name("producer-" + t).start(() -> {
                    for (int i = 0; i < 300; i++) {
                        try {
                            acknowledged.add(log.append(2, bytes("i")));
                        } catch (WalException interrupted) {
                            Thread.interrupted(); // the record may be in the log; the next append goes on
                        }
                    }
                }));
            }
            Thread interrupter = Thread.ofPlatform().name("interrupter").start(() -> {
                java.util.Random random = new java.util.Random(7);
                while (producers.stream().anyMatch(Thread::isAlive)) {
                    producers.get(random.nextInt(producers.size())).interrupt();
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
            });
            for (Thread p : producers) {
                p.join(WAIT.toMillis());
                assertThat(p.isAlive()).as(p.getName() + " finished: no append waited forever").isFalse();
            }
            interrupter.join();
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            assertThat(sink.applied.keySet()).containsAll(acknowledged);
        }
    }

    @Test
    void anInterruptedAppenderThatRollsASegmentKeepsItsInterruptAndTheLogKeepsWorking() {
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config().maxSegmentSize(2), sink, null)) {
            log.append(1, bytes("a"));
            log.append(1, bytes("b"));
            Thread.currentThread().interrupt();
            long rolled;
            try {
                rolled = log.append(1, bytes("c"));
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
            }
            long next = log.append(1, bytes("d"));
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            assertThat(sink.applied).containsKeys(rolled, next).hasSize(4);
        }
    }

    /** Runs {@code appends} appends on each of {@code threads} threads; returns every id. */
    /** Flips one bit inside the record that starts at {@code offset}: its checksum no longer matches. */
    private static void flipPayloadBit(Path segment, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, offset + 20);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            ch.write(b.flip(), offset + 20);
        }
    }

    private static List<Long> fromThreads(int threads, int appends, java.util.function.IntFunction<Long> append)
            throws Exception {
        return fromThreads(Executors.newFixedThreadPool(threads), threads, appends, append);
    }

    private static List<Long> fromThreads(ExecutorService pool, int threads, int appends,
                                          java.util.function.IntFunction<Long> append) throws Exception {
        try {
            List<Future<List<Long>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < appends; i++) {
                        ids.add(append.apply(thread));
                    }
                    return ids;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                all.addAll(f.get());
            }
            return all;
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void reopeningReplaysWhatTheSinkHasNotSeenAndContinuesTheIds() {
        long last;
        try (WriteAheadLog log = WriteAheadLog.open(config(), null, null)) {
            for (int i = 0; i < 100; i++) {
                log.append(1, bytes("a" + i));
            }
            last = log.lastEntryId();
        }
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            assertThat(log.recovery().unflushed()).isEqualTo(100);
            assertThat(log.recovery().replayed()).isEqualTo(100);
            assertThat(sink.applied).hasSize(100);
            assertThat(log.append(1, bytes("next"))).isEqualTo(last + 1);
            assertThat(log.awaitFlushed(WAIT)).isTrue();
        }
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            assertThat(log.recovery().unflushed()).isZero();
            assertThat(sink.offered.values()).allMatch(c -> c.get() == 1);
        }
    }

    @Test
    void aLostCheckpointMeansAReplayThatTheSinkRecognises() throws IOException {
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            for (int i = 0; i < 50; i++) {
                log.append(1, bytes("c" + i));
            }
            assertThat(log.awaitFlushed(WAIT)).isTrue();
        }
        Files.delete(dir.resolve(CheckpointFile.NAME));
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            assertThat(log.recovery().unflushed()).isEqualTo(50);
            assertThat(log.stats().duplicatesSkipped()).isEqualTo(50);
        }
        assertThat(sink.applied).hasSize(50);
    }

    @Test
    void aTornTailIsCutOffAndTheRecordsBeforeItAreKept() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(config(), null, null)) {
            for (int i = 0; i < 10; i++) {
                log.append(1, bytes("t" + i));
            }
        }
        Path segment = onlySegment();
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // the last record loses its end
        }
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            assertThat(log.recovery().damages()).singleElement()
                    .satisfies(d -> assertThat(d.kind()).isEqualTo(WalDamage.Kind.TORN_TAIL));
            assertThat(sink.applied).hasSize(9);
            assertThat(log.append(1, bytes("after"))).isEqualTo(10);
        }
    }

    @Test
    void recordsFoundAtOpenCountAsFlushedOnceTheSinkHasThemThoughTheLastWasMovedAside() throws Exception {
        MemorySink earlier = new MemorySink();
        WriteAheadLog first = WriteAheadLog.open(config(), earlier, null);
        for (int i = 0; i < 5; i++) {
            first.append(1, bytes("record-" + i));
        }
        assertThat(first.awaitFlushed(WAIT)).isTrue();
        earlier.down = true;
        for (int i = 5; i < 10; i++) {
            first.append(1, bytes("record-" + i));
        }
        first.close(Duration.ofMillis(100)); // the checkpoint counts ten ids, five of them flushed
        Path segment = onlySegment();
        int recordSize = SegmentFormat.recordSize("record-0".length());
        long tenth = SegmentFormat.HEADER_SIZE + 9L * recordSize;
        flipPayloadBit(segment, tenth);
        MemorySink sink = new MemorySink();
        sink.down = true;
        try (WriteAheadLog log = WriteAheadLog.open(config().recoveryTimeout(Duration.ofMillis(50)), sink, null)) {
            assertThat(log.recovery().damages()).hasSize(1);
            assertThat(log.recoveredFlushed()).isFalse();
            sink.down = false;
            // entry 9 is the last record left: entry 10 was counted but is gone, and must not keep
            // the records of the earlier process from ever counting as flushed
            org.awaitility.Awaitility.await().atMost(WAIT).until(log::recoveredFlushed);
            assertThat(sink.applied.keySet()).containsExactlyInAnyOrder(6L, 7L, 8L, 9L);
            assertThat(log.lastEntryId()).isEqualTo(10);
            assertThat(log.awaitFlushed(Duration.ofSeconds(1))).as("entry 10 is passed, not waited for").isTrue();
            assertThat(log.stats().lagEntries()).isZero();
        }
        try (WriteAheadLog reopened = WriteAheadLog.open(config(), new MemorySink(), null)) {
            assertThat(reopened.recoveredFlushed()).as("nothing new since the flush").isTrue();
        }
    }

    @Test
    void aCorruptRecordIsMovedAsideWithAReportAndTheOthersAreReplayed() throws IOException {
        try (WriteAheadLog log = WriteAheadLog.open(config(), null, null)) {
            for (int i = 0; i < 10; i++) {
                log.append(1, bytes("record-" + i));
            }
        }
        Path segment = onlySegment();
        int recordSize = SegmentFormat.recordSize("record-0".length());
        long fifth = SegmentFormat.HEADER_SIZE + 4L * recordSize;
        flipPayloadBit(segment, fifth);
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config(), sink, null)) {
            WalDamage damage = log.recovery().damages().getFirst();
            assertThat(damage.kind()).isEqualTo(WalDamage.Kind.CORRUPT);
            assertThat(damage.offset()).isEqualTo(fifth);
            assertThat(damage.length()).isEqualTo(recordSize);
            assertThat(damage.reason()).contains("checksum");
            assertThat(sink.applied.keySet()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 6L, 7L, 8L, 9L, 10L);
            assertThat(log.stats().corruptRecords()).isEqualTo(1);
        }
        Path corrupt = dir.resolve("corrupt");
        assertThat(Files.readString(corrupt.resolve("report.txt"))).contains(segment.getFileName().toString())
                .contains("offset=" + fifth).contains("checksum");
        assertThat(corrupt.resolve(segment.getFileName() + "@" + fifth + ".bad")).hasSize(recordSize);
        try (WriteAheadLog log = WriteAheadLog.open(config(), null, null)) {
            assertThat(log.recovery().damages()).as("the segment was rewritten without the damage").isEmpty();
        }
    }

    @Test
    void segmentsRollAtTheirSizeAndFlushedOnesAreDeletedAfterTheRetention() throws Exception {
        MemorySink sink = new MemorySink();
        WalConfig cfg = config().maxSegmentSize(10).segmentRetention(Duration.ofMillis(1));
        try (WriteAheadLog log = WriteAheadLog.open(cfg, sink, null)) {
            for (int i = 0; i < 55; i++) {
                log.append(1, bytes("s" + i));
            }
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> segments().size() == 1);
            assertThat(segments().getFirst().getFileName().toString()).isEqualTo(SegmentFormat.fileName(51));
        }
        assertThat(sink.applied).hasSize(55);
        Checkpoint checkpoint = CheckpointFile.read(dir).checkpoint();
        assertThat(checkpoint.flushedThroughId()).isEqualTo(55);
    }

    @Test
    void relaxedModeRollsThroughManySegmentsAndFlushesEveryRecordOnce() throws Exception {
        MemorySink sink = new MemorySink();
        try (WriteAheadLog log = WriteAheadLog.open(config().mode(WalMode.RELAXED).maxSegmentSize(7).maxBufferSize(50),
                sink, null)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        log.append(1, bytes("m" + i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            assertThat(sink.applied).hasSize(4000);
            assertThat(log.stats().segments()).isGreaterThanOrEqualTo(4000 / 7);
        }
        try (WriteAheadLog log = WriteAheadLog.open(config(), null, null)) {
            assertThat(log.recovery().records()).isEqualTo(4000);
            assertThat(log.recovery().damages()).isEmpty();
            assertThat(log.append(1, bytes("next"))).isEqualTo(4001);
        }
    }

    @Test
    void aFullBacklogHoldsAppendsBackThenRefusesThemClearlyAndNothingIsLost() {
        MemorySink sink = new MemorySink();
        sink.down = true;
        WalConfig cfg = config().maxBufferSize(10).maxFlushRetries(1).backlog(20, Duration.ofMillis(300));
        try (WriteAheadLog log = WriteAheadLog.open(cfg, sink, null)) {
            for (int i = 0; i < 20; i++) {
                log.append(1, bytes("b" + i));
            }
            assertThatThrownBy(() -> log.append(1, bytes("too many")))
                    .isInstanceOf(WalBackpressureException.class)
                    .hasMessageContaining("backlog is full: 20 record(s)")
                    .hasMessageContaining("maxBacklog 20")
                    .hasMessageContaining("database unreachable");
            org.awaitility.Awaitility.await().atMost(WAIT)
                    .until(() -> log.health().state() == WalHealth.State.FAILING);
            assertThat(log.health().lastError()).contains("database unreachable");
            assertThat(log.stats().flushFailures()).isGreaterThan(1);
            sink.down = false;
            assertThat(log.awaitFlushed(WAIT)).isTrue();
            assertThat(log.health().state()).isEqualTo(WalHealth.State.HEALTHY);
            log.append(1, bytes("room again"));
            assertThat(log.awaitFlushed(WAIT)).isTrue();
        }
        assertThat(sink.applied).hasSize(21);
    }

    @Test
    void aDirectoryBelongsToOneLogAtATime() {
        try (WriteAheadLog log = WriteAheadLog.open(config(), null, null)) {
            assertThatThrownBy(() -> WriteAheadLog.open(config(), null, null))
                    .isInstanceOf(WalException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void appendsAfterCloseAreRefused() {
        WriteAheadLog log = WriteAheadLog.open(config(), null, null);
        log.close();
        assertThatThrownBy(() -> log.append(1, bytes("late"))).isInstanceOf(WalException.class)
                .hasMessageContaining("closed");
    }

    private Path onlySegment() throws IOException {
        List<Path> s = segments();
        assertThat(s).hasSize(1);
        return s.getFirst();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> out = new ArrayList<>(files.filter(p -> p.toString().endsWith(".wal")).toList());
            Collections.sort(out);
            return out;
        }
    }
}
