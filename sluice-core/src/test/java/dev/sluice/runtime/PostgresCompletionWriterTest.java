package dev.sluice.runtime;

import dev.sluice.store.jdbc.Dialect;

class PostgresCompletionWriterTest extends CompletionWriterTest {
    @Override
    Dialect dialect() {
        return Dialect.POSTGRESQL;
    }
}
