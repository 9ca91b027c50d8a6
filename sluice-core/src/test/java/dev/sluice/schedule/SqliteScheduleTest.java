package dev.sluice.schedule;

import dev.sluice.store.jdbc.Dialect;

class SqliteScheduleTest extends ScheduleBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.SQLITE;
    }
}
