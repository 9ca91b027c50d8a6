package dev.sluice.buffer.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite file store: its durable option, and its file that outlives it. */
class SqliteFileBatchStoreTest {
    @TempDir
    Path dir;

    private static int synchronous(BatchStore store) throws SQLException {
        try (Connection c = ((JdbcBatchStore) store).db.dataSource().getConnection();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA synchronous")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void durableSyncsEveryStoreWithSynchronousFull() throws SQLException {
        try (BatchStore store = BatchStores.sqlite(dir.resolve("durable.db"), true)) {
            assertThat(synchronous(store)).isEqualTo(2);
        }
    }

    @Test
    void notDurableUsesSynchronousNormal() throws SQLException {
        try (BatchStore store = BatchStores.sqlite(dir.resolve("normal.db"), false)) {
            assertThat(synchronous(store)).isEqualTo(1);
        }
    }

    @Test
    void storedBatchesOutliveTheStoreThatWroteThem() {
        Path file = dir.resolve("nested/folder/buffer.db");
        try (BatchStore store = BatchStores.sqlite(file, false)) {
            store.batchInsert("q", 3, new byte[] {1, 2, 3}, 2);
        }
        try (BatchStore store = BatchStores.sqlite(file, false)) {
            assertThat(store.batchList("q", BatchState.READY, 10)).singleElement().satisfies(b -> {
                assertThat(b.priority()).isEqualTo(3);
                assertThat(b.items()).isEqualTo(2);
                assertThat(b.payload()).containsExactly(1, 2, 3);
            });
        }
    }
}
