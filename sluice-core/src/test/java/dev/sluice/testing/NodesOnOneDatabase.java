package dev.sluice.testing;

import dev.sluice.Sluice;
import dev.sluice.store.jdbc.Dialect;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class whose tests start Sluice nodes on one fresh database of its dialect: the database
 * lives as long as the class, the nodes a test starts are closed after it. Subclasses name the
 * dialect; one thin subclass per dialect runs the same behaviour on each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class NodesOnOneDatabase {
    protected TestDatabase db;
    protected final List<Sluice> nodes = new ArrayList<>();

    protected abstract Dialect dialect();

    @BeforeAll
    final void openDatabase() {
        db = TestDatabases.create(dialect());
    }

    @AfterEach
    final void closeNodes() {
        nodes.forEach(Sluice::close);
        nodes.clear();
    }

    @AfterAll
    final void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    /** Builds a node that is closed after the test. */
    protected Sluice node(Sluice.Builder builder) {
        Sluice s = builder.build();
        nodes.add(s);
        return s;
    }

    /** Builds and starts a node that is closed after the test. */
    protected Sluice started(Sluice.Builder builder) {
        return node(builder).start();
    }
}
