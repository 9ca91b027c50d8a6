package dev.sluice.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.job.Activity;
import dev.sluice.job.ActivityQuery;
import dev.sluice.testing.SwitchableDataSource;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import dev.sluice.wal.WalConfig;
import dev.sluice.wal.WalMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalCommandTest {
    private static final long BATCH = 7;

    @TempDir
    Path dir;

    record Run(int code, String out) {
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            code = SluiceCli.run(args);
        } finally {
            System.setOut(original);
        }
        return new Run(code, buffer.toString(StandardCharsets.UTF_8));
    }

    @Test
    void inspectShowsSegmentsFlushedOffsetsAndCorruptionAndRecoverReplaysTheRest() throws Exception {
        Path wal = dir.resolve("wal");
        try (TestDatabase db = TestDatabases.sqlite()) {
            SwitchableDataSource ds = new SwitchableDataSource(db.dataSource());
            try (Sluice s = Sluice.builder().dataSource(ds)
                    .wal(WalConfig.defaults(wal).mode(WalMode.RELAXED).maxFlushRetries(0).maxSegmentSize(40)).build()) {
                for (int i = 0; i < 30; i++) {
                    s.logBatch(BATCH, "row", "flushed " + i);
                }
                assertThat(s.awaitWalFlushed(Duration.ofSeconds(20))).isTrue();
                ds.down(true); // the node loses its database, then stops: 70 records stay on disk
                for (int i = 0; i < 70; i++) {
                    s.logBatch(BATCH, "row", "kept " + i);
                }
            }
            Run inspect = cli("wal", "inspect", wal.toString());
            assertThat(inspect.code()).as(inspect.out()).isZero();
            assertThat(inspect.out())
                    .contains("not in use")
                    .contains("every entry up to 30 is in the database")
                    .contains("00000000000000000001.wal")
                    .contains("00000000000000000041.wal")
                    .contains("partly flushed")
                    .containsPattern("total\\s+100\\s+70");

            flipAByteOfTheLastRecordButOne(wal.resolve("00000000000000000081.wal"));
            Run damaged = cli("wal", "inspect", wal.toString());
            assertThat(damaged.code()).as(damaged.out()).isEqualTo(2);
            assertThat(damaged.out()).contains("DAMAGED").contains("checksum mismatch");

            Run recover = cli("wal", "recover", wal.toString(), "--db", db.jdbcUrl());
            assertThat(recover.code()).as(recover.out()).isZero();
            assertThat(recover.out())
                    .contains("69 not yet in the database")
                    .contains("repaired: 00000000000000000081.wal")
                    .contains("100% 69/69")
                    .contains("done: 69 record(s) written");

            Run after = cli("wal", "inspect", wal.toString());
            assertThat(after.code()).as(after.out()).isZero();
            assertThat(after.out()).containsPattern("total\\s+99\\s+0").contains("corrupt/: 1 file(s)");
            try (Sluice reader = Sluice.builder().dataSource(db.dataSource()).build()) {
                List<Activity> rows = reader.activities(ActivityQuery.batch(BATCH));
                assertThat(rows).hasSize(99).extracting(Activity::message).doesNotHaveDuplicates();
            }
            Run again = cli("wal", "recover", wal.toString(), "--db", db.jdbcUrl());
            assertThat(again.out()).contains("0 not yet in the database");
        }
    }

    @Test
    void inspectOfAMissingDirectorySaysSo() {
        assertThat(cli("wal", "inspect", dir.resolve("nope").toString()).code()).isEqualTo(1);
    }

    private static void flipAByteOfTheLastRecordButOne(Path segment) throws Exception {
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Records here are all the same size; the one before the last starts two records from the end.
            long recordSize = (size - 32) / 20;
            long at = size - 2 * recordSize + 20;
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x01));
            ch.write(b.flip(), at);
        }
        try (Stream<Path> s = Files.list(segment.getParent())) {
            assertThat(s.count()).isPositive();
        }
    }
}
