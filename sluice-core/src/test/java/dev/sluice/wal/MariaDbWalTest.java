package dev.sluice.wal;

import dev.sluice.store.jdbc.Dialect;

class MariaDbWalTest extends WalBehaviourTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
