package dev.sluice.store;

import dev.sluice.store.jdbc.Dialect;

class MariaDbJobStoreContractTest extends JobStoreContractTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
