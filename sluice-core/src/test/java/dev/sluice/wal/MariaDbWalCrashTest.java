package dev.sluice.wal;

import dev.sluice.store.jdbc.Dialect;

class MariaDbWalCrashTest extends WalCrashTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
