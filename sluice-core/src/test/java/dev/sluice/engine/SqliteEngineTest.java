package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class SqliteEngineTest extends EngineBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
