package dev.sluice.wal;

import dev.sluice.store.jdbc.Dialect;

class SqliteWalCrashTest extends WalCrashTest {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
