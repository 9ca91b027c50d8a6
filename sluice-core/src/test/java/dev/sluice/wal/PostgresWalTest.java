package dev.sluice.wal;

import dev.sluice.store.jdbc.Dialect;

class PostgresWalTest extends WalBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
