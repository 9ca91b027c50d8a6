package dev.sluice.bench.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL benchmark on SQLite, one second per phase: it measures every phase the issue names and
 * prints one JSON line for each with every field. Asserts nothing about speed.
 */
class WalBenchmarkOnSqliteTest {
    private static final List<String> FIELDS = List.of("system", "store", "workload", "mode", "producers", "threads",
            "appends_per_s", "records_per_fsync", "flush_per_s");

    @TempDir
    Path dir;

    @Test
    void measuresEveryPhaseAndPrintsOneJsonLineEach() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = WalBenchmark.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), "--workload", "wal",
                "--store", "sqlite", "--seconds", "1", "--producers", "4", "--flush-entries", "2000",
                "--dir", dir.resolve("bench").toString());
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();

        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : output.lines().filter(l -> l.startsWith("{")).toList()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> json = new ObjectMapper().readValue(line, Map.class);
            assertThat(json).as(line).containsOnlyKeys(FIELDS);
            lines.add(json);
        }
        assertThat(lines).extracting(l -> l.get("system") + " " + l.get("mode") + " " + l.get("producers") + " "
                + l.get("threads")).containsExactly(
                "sluice relaxed 1 platform", "sluice relaxed 4 platform",
                "sluice durable 1 platform", "sluice durable 4 platform",
                "sluice durable 1 virtual", "sluice durable 4 virtual", "disk fsync 1 platform",
                "sluice flush 2 platform", "naive autocommit 1 platform", "naive autocommit 4 platform");
        for (Map<String, Object> l : lines.subList(0, 7)) {
            assertThat(((Number) l.get("appends_per_s")).doubleValue()).as(l.toString()).isPositive();
            assertThat(((Number) l.get("records_per_fsync")).doubleValue()).as(l.toString()).isGreaterThanOrEqualTo(1.0);
        }
        assertThat(((Number) lines.get(7).get("flush_per_s")).doubleValue()).isPositive();
        assertThat(output).contains("durable 4 producers vs 1:").contains("(virtual threads)")
                .contains("one durable producer vs the disk's own write+fsync:");
    }
}
