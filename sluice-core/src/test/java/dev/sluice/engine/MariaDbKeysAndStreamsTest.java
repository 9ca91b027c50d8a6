package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class MariaDbKeysAndStreamsTest extends KeysAndStreamsTest {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }

    @Override
    int[] manyStreamsShape() {
        return new int[] {200, 20};
    }
}
