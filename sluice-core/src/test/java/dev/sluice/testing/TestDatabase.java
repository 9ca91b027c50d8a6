package dev.sluice.testing;

import dev.sluice.Sluice;
import dev.sluice.store.jdbc.Dialect;
import javax.sql.DataSource;

/**
 * A fresh, empty database for one test class, on one of the three dialects. Closing it drops
 * what it created.
 */
public interface TestDatabase extends AutoCloseable {

    Dialect dialect();

    String jdbcUrl();

    String user();

    String password();

    /** A small pool on this database for tests that use JDBC directly. */
    DataSource dataSource();

    /** A builder already pointing at this database. */
    default Sluice.Builder sluice() {
        return Sluice.builder().jdbcUrl(jdbcUrl(), user(), password()).poolSize(8);
    }

    @Override
    void close();
}
