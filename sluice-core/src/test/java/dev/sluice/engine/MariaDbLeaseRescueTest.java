package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class MariaDbLeaseRescueTest extends LeaseRescueTest {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }
}
