package dev.sluice.cdc;

import dev.sluice.store.jdbc.Dialect;

class SqliteChangeDetectionTest extends ChangeDetectionTest {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
