package dev.sluice.buffer;

import dev.sluice.store.jdbc.Dialect;

class MariaDbDatabaseBufferedQueueTest extends DatabaseBufferedQueueTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
