package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class SqliteKeysAndStreamsTest extends KeysAndStreamsTest {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    int[] manyStreamsShape() {
        return new int[] {200, 20};
    }
}
