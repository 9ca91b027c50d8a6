package dev.sluice.schedule;

import dev.sluice.store.jdbc.Dialect;

class SqliteScheduleTest extends ScheduleBehaviourTest {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
