package dev.sluice.engine;

import dev.sluice.store.jdbc.Dialect;

class MariaDbEngineTest extends EngineBehaviourTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
