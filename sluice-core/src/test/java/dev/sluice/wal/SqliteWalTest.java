package dev.sluice.wal;

import dev.sluice.store.jdbc.Dialect;

class SqliteWalTest extends WalBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
