package dev.sluice.buffer;

import dev.sluice.store.jdbc.Dialect;

class SqliteDatabaseBufferedQueueTest extends DatabaseBufferedQueueTest {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
