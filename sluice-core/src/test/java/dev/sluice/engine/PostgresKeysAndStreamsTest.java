package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class PostgresKeysAndStreamsTest extends KeysAndStreamsTest {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    int[] manyStreamsShape() {
        return new int[] {1000, 50};
    }
}
