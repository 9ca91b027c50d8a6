package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class PostgresLeaseRescueTest extends LeaseRescueTest {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
