package dev.sluice.buffer;

import dev.sluice.buffer.store.BatchStore;
import dev.sluice.buffer.store.BatchStores;
import org.junit.jupiter.api.BeforeEach;

/** The behaviour on the in-memory store, shared by every queue of a test. */
class MemoryBufferedQueueTest extends BufferedQueueBehaviourTest {
    private BatchStore memory;

    @BeforeEach
    void newStore() {
        memory = BatchStores.memory();
    }

    @Override
    <T> BufferedQueue.Builder<T> onStore(BufferedQueue.Builder<T> builder) {
        return builder.store(memory);
    }

    @Override
    BatchStore openStore() {
        return memory;
    }
}
