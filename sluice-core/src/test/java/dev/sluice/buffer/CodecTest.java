package dev.sluice.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Codecs turn a batch into bytes and back, unchanged, and a queue uses the one it is given. */
class CodecTest {

    record Reading(String sensor, double value, Instant at, List<String> tags, Map<String, Long> counts) {
    }

    private static final List<Reading> READINGS = List.of(
            new Reading("s-1", 20.5, Instant.parse("2025-01-02T03:04:05.678Z"), List.of("a", "b"), Map.of("x", 1L)),
            new Reading("s-2", -3.25, Instant.parse("2025-06-07T08:09:10Z"), List.of(), Map.of()));

    @Test
    void jsonRoundTripsABatch() throws IOException {
        Codec<Reading> codec = Codec.json(Reading.class);
        byte[] bytes = codec.encode(READINGS);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("[{\"sensor\":\"s-1\"");
        assertThat(codec.decode(bytes)).isEqualTo(READINGS);
    }

    @Test
    void messagePackRoundTripsABatchInFewerBytesThanJson() throws IOException {
        Codec<Reading> codec = Codec.messagePack(Reading.class);
        byte[] bytes = codec.encode(READINGS);
        assertThat(codec.decode(bytes)).isEqualTo(READINGS);
        assertThat(bytes.length).isLessThan(Codec.json(Reading.class).encode(READINGS).length);
    }

    @Test
    void genericItemTypesRoundTripThroughATypeReference() throws IOException {
        List<Map<String, Long>> batch = List.of(Map.of("a", 1L), Map.of("b", 2L));
        Codec<Map<String, Long>> json = Codec.json(new TypeReference<Map<String, Long>>() { });
        Codec<Map<String, Long>> msgpack = Codec.messagePack(new TypeReference<Map<String, Long>>() { });
        assertThat(json.decode(json.encode(batch))).isEqualTo(batch);
        assertThat(msgpack.decode(msgpack.encode(batch))).isEqualTo(batch);
    }

    @Test
    void sizeOfIsAboutTheItemsShareOfTheEncodedBatch() throws IOException {
        Codec<Reading> codec = Codec.json(Reading.class);
        long sum = codec.sizeOf(READINGS.get(0)) + codec.sizeOf(READINGS.get(1));
        assertThat(sum).isBetween((long) codec.encode(READINGS).length - 2, (long) codec.encode(READINGS).length + 2);
    }

    /** A codec of the caller's: one line per item. */
    static final class LinesCodec implements Codec<String> {
        final AtomicInteger encoded = new AtomicInteger();

        @Override
        public byte[] encode(List<String> items) {
            encoded.incrementAndGet();
            return String.join("\n", items).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public List<String> decode(byte[] bytes) {
            return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
        }
    }

    @Test
    void aQueueStoresAndProcessesThroughACustomCodec() {
        LinesCodec codec = new LinesCodec();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (BufferedQueue<String> q = BufferedQueue.builder(codec).inMemory().flushBytes(0).pollInterval(Duration.ofMillis(20))
                .processor((batch, queue) -> seen.addAll(batch)).build()) {
            q.pushAll(List.of("one", "two", "three"));
            q.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 3);
        }
        assertThat(seen).containsExactly("one", "two", "three");
        assertThat(codec.encoded).hasValue(1);
    }

    @Test
    void aQueueBuiltWithMessagePackProcessesWhatItStored() {
        List<Reading> seen = new CopyOnWriteArrayList<>();
        try (BufferedQueue<Reading> q = BufferedQueue.builder(Reading.class).messagePack().inMemory()
                .pollInterval(Duration.ofMillis(20)).processor((batch, queue) -> seen.addAll(batch)).build()) {
            q.pushAll(READINGS);
            q.flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == 2);
        }
        assertThat(seen).isEqualTo(READINGS);
    }
}
