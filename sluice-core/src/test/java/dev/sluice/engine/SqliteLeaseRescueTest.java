package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class SqliteLeaseRescueTest extends LeaseRescueTest {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
