package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class PostgresMultiNodeTest extends MultiNodeTest {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
