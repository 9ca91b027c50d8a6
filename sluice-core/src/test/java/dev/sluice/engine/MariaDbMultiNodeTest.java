package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class MariaDbMultiNodeTest extends MultiNodeTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
