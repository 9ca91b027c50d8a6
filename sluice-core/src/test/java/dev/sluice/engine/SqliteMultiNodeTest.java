package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class SqliteMultiNodeTest extends MultiNodeTest {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
