package dev.sluice.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ItemBufferTest {

    record Count(String key, int n) {
    }

    @Test
    void appendingKeepsEveryItemInPushOrder() {
        ItemBuffer<String> buffer = ItemBuffer.appending();
        buffer.push("b");
        buffer.push("a");
        buffer.push("b");
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.drain()).containsExactly("b", "a", "b");
    }

    @Test
    void mergingKeepsOneItemPerKeyInFirstPushOrder() {
        ItemBuffer<Count> buffer = ItemBuffer.merging(Count::key, (held, pushed) -> new Count(held.key(), held.n() + pushed.n()));
        buffer.push(new Count("b", 1));
        buffer.push(new Count("a", 2));
        buffer.push(new Count("b", 3));
        assertThat(buffer.size()).isEqualTo(2);
        assertThat(buffer.drain()).containsExactly(new Count("b", 4), new Count("a", 2));
    }

    @Test
    void drainEmptiesTheBuffer() {
        ItemBuffer<Count> buffer = ItemBuffer.merging(Count::key, (held, pushed) -> pushed);
        buffer.push(new Count("a", 1));
        buffer.drain();
        assertThat(buffer.size()).isZero();
        assertThat(buffer.drain()).isEqualTo(List.of());
    }
}
