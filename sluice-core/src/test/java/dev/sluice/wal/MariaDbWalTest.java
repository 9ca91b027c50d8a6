package dev.sluice.wal;

import dev.sluice.store.jdbc.Dialect;

class MariaDbWalTest extends WalBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }
}
