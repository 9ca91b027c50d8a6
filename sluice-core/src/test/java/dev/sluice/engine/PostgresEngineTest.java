package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class PostgresEngineTest extends EngineBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
