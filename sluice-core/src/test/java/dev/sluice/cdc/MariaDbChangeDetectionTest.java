package dev.sluice.cdc;

import dev.sluice.store.jdbc.Dialect;

class MariaDbChangeDetectionTest extends ChangeDetectionTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
