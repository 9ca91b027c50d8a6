package dev.sluice.cdc;

import dev.sluice.store.jdbc.Dialect;

class PostgresChangeDetectionTest extends ChangeDetectionTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
