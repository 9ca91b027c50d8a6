package dev.sluice.store;

import dev.sluice.store.jdbc.Dialect;

class PostgresJobStoreContractTest extends JobStoreContractTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
