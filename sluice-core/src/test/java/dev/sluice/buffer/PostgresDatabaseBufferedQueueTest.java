package dev.sluice.buffer;

import dev.sluice.store.jdbc.Dialect;

class PostgresDatabaseBufferedQueueTest extends DatabaseBufferedQueueTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
