package dev.sluice.runtime;

import dev.sluice.store.jdbc.Dialect;

class MariaDbCompletionWriterTest extends CompletionWriterTest {
    @Override
    Dialect dialect() {
        return Dialect.MARIADB;
    }
}
