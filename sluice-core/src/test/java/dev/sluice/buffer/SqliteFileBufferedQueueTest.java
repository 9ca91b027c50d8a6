package dev.sluice.buffer;

import dev.sluice.buffer.store.BatchStore;
import dev.sluice.buffer.store.BatchStores;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The behaviour on the default store, a SQLite file of the queue's own: every queue of a test
 * opens the file by itself, as separate processes would.
 */
class SqliteFileBufferedQueueTest extends BufferedQueueBehaviourTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("buffer.db");
    }

    @Override
    <T> BufferedQueue.Builder<T> onStore(BufferedQueue.Builder<T> builder) {
        return builder.sqlite(file());
    }

    @Override
    BatchStore openStore() {
        return BatchStores.sqlite(file(), false);
    }
}
