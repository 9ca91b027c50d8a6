package dev.sluice.schedule;

import dev.sluice.store.jdbc.Dialect;

class PostgresScheduleTest extends ScheduleBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
