package dev.sluice.schedule;

import dev.sluice.store.jdbc.Dialect;

class MariaDbScheduleTest extends ScheduleBehaviourTest {
    @Override
    protected Dialect dialect() {
        return Dialect.MARIADB;
    }
}
