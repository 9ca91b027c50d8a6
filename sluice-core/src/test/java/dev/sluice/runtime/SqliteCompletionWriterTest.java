package dev.sluice.runtime;

import dev.sluice.store.jdbc.Dialect;

class SqliteCompletionWriterTest extends CompletionWriterTest {
    @Override
    Dialect dialect() {
        return Dialect.SQLITE;
    }
}
