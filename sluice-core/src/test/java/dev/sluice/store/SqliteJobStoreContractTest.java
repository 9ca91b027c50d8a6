package dev.sluice.store;

import dev.sluice.store.jdbc.Dialect;

class SqliteJobStoreContractTest extends JobStoreContractTest {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
