package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class SqliteMultiNodeTest extends MultiNodeTest {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
