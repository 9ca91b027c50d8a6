package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class MariaDbEngineTest extends EngineBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }
}
