package dev.sluice.wal;

import dev.sluice.store.jdbc.Dialect;

class PostgresWalCrashTest extends WalCrashTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
