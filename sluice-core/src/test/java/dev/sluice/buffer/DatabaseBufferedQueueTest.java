package dev.sluice.buffer;

import dev.sluice.Sluice;
import dev.sluice.buffer.store.BatchStore;
import dev.sluice.buffer.store.BatchStores;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour on the engine's store: the {@code sluice_buffer_batch} table of a Sluice node's
 * database, reached through the node's own pool. One fresh database per class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DatabaseBufferedQueueTest extends BufferedQueueBehaviourTest {
    private TestDatabase db;
    private Sluice sluice;

    abstract Dialect dialect();

    @BeforeAll
    void openDatabase() {
        db = TestDatabases.create(dialect());
        sluice = db.sluice().build();
    }

    @AfterAll
    void dropDatabase() {
        if (sluice != null) {
            sluice.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Override
    <T> BufferedQueue.Builder<T> onStore(BufferedQueue.Builder<T> builder) {
        return builder.database(sluice);
    }

    @Override
    BatchStore openStore() {
        return BatchStores.database(sluice);
    }
}
