package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class PostgresLeaseRescueTest extends LeaseRescueTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
