package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class MariaDbMultiNodeTest extends MultiNodeTest {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }
}
