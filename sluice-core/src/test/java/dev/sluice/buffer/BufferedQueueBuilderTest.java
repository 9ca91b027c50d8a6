package dev.sluice.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings are rejected before anything opens, with the setting's name in the message. */
class BufferedQueueBuilderTest {

    record Item(int id) {
    }

    private static BufferedQueue.Builder<Item> builder() {
        return BufferedQueue.builder(Item.class).inMemory();
    }

    @Test
    void negativeOrZeroValuesAreRejectedByName() {
        assertThatThrownBy(() -> builder().workers(-1)).hasMessage("workers must be at least 0, got -1");
        assertThatThrownBy(() -> builder().batchesPerTake(0)).hasMessage("batchesPerTake must be at least 1, got 0");
        assertThatThrownBy(() -> builder().flushBytes(-1)).hasMessage("flushBytes must be at least 0, got -1");
        assertThatThrownBy(() -> builder().flushPushes(-5)).hasMessage("flushPushes must be at least 0, got -5");
        assertThatThrownBy(() -> builder().flushTimeout(Duration.ofSeconds(-1))).hasMessageStartingWith("flushTimeout");
        assertThatThrownBy(() -> builder().pollInterval(Duration.ZERO)).hasMessageStartingWith("pollInterval");
        assertThatThrownBy(() -> builder().leaseDuration(null)).hasMessageStartingWith("leaseDuration");
        assertThatThrownBy(() -> builder().maxPendingFlushes(0)).hasMessageStartingWith("maxPendingFlushes");
        assertThatThrownBy(() -> builder().name(" ")).hasMessage("name must not be blank");
        assertThatThrownBy(() -> builder().name("q".repeat(101))).hasMessageStartingWith("name must be at most 100");
    }

    @Test
    void workersNeedAProcessor() {
        assertThatThrownBy(() -> builder().workers(2).build()).hasMessageStartingWith("processor must be set");
    }

    @Test
    void onlyOneStoreMayBeChosen() {
        assertThatThrownBy(() -> builder().sqlite(Path.of("x.db")))
                .hasMessageContaining("the store is already chosen (inMemory())");
    }

    @Test
    void durableAppliesToTheSqliteFileOnly() {
        assertThatThrownBy(() -> builder().durable(true).workers(0).build())
                .hasMessageContaining("durable applies to the SQLite file store only");
    }

    @Test
    void messagePackNeedsTheItemType() {
        assertThatThrownBy(() -> BufferedQueue.builder(Codec.json(Item.class)).messagePack())
                .hasMessageStartingWith("messagePack() needs the item type");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        BufferedQueueConfig d = BufferedQueueConfig.defaults();
        assertThat(d.flushBytes()).isEqualTo(1 << 20);
        assertThat(d.flushPushes()).isEqualTo(1000);
        assertThat(d.flushItems()).isZero();
        assertThat(d.flushTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.workers()).isEqualTo(1);
        assertThat(d.batchesPerTake()).isEqualTo(1);
        assertThat(d.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.shutdownGrace()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aNullItemIsRejected() {
        try (BufferedQueue<Item> q = builder().workers(0).build()) {
            assertThatThrownBy(() -> q.push(null)).hasMessage("item must not be null");
        }
    }

    @Test
    void anItemTheCodecCannotEncodeIsRejectedAtPush() {
        Codec<Item> refusing = new Codec<>() {
            @Override
            public byte[] encode(java.util.List<Item> items) throws java.io.IOException {
                throw new java.io.IOException("no way");
            }

            @Override
            public java.util.List<Item> decode(byte[] bytes) {
                return java.util.List.of();
            }
        };
        try (BufferedQueue<Item> q = BufferedQueue.builder(refusing).inMemory().workers(0).build()) {
            assertThatThrownBy(() -> q.push(new Item(1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no way");
            assertThat(q.stats().batches()).isZero();
        }
    }
}
