package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class PostgresEngineTest extends EngineBehaviourTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
