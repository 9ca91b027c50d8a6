package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.bench.db.BenchDatabase;
import dev.sluice.bench.db.ServerBase;
import dev.sluice.bench.db.StoreKind;
import dev.sluice.bench.report.Result;
import dev.sluice.bench.system.HandWrittenQueue;
import dev.sluice.bench.system.QueueSystem;
import dev.sluice.bench.system.SluiceSystem;
import dev.sluice.bench.workload.DrainWorkload;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The drain workload on SQLite with a few hundred jobs: every job is processed and the JSON line
 * carries every field. Asserts nothing about speed.
 */
class DrainOnSqliteTest {
    private static final int JOBS = 500;
    private static final List<String> FIELDS = List.of("system", "store", "workload", "jobs", "workers",
            "insert_per_s", "process_per_s", "p50_ms", "p95_ms", "p99_ms");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"sluice", "handwritten"})
    void processesEveryJobAndReportsEveryField(String name) throws Exception {
        Supplier<QueueSystem> make = name.equals("sluice") ? SluiceSystem::new : HandWrittenQueue::new;
        ServerBase base = ServerBase.of(StoreKind.SQLITE, "jdbc:sqlite:" + dir.resolve("base.db"), null, null);
        DrainWorkload drain = new DrainWorkload(JOBS, 4, Duration.ofSeconds(60));
        Result result;
        long completed;
        try (BenchDatabase db = BenchDatabase.create(base, name)) {
            QueueSystem system = make.get();
            try {
                result = drain.run(system, db, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
                completed = system.completed();
            } finally {
                system.close();
            }
        }

        assertThat(completed).isEqualTo(JOBS);
        assertThat(result.note()).isNull();
        @SuppressWarnings("unchecked")
        Map<String, Object> json = new ObjectMapper().readValue(result.toJsonLine(), Map.class);
        assertThat(json.keySet()).containsExactlyElementsOf(FIELDS);
        assertThat(json.get("system")).isEqualTo(name);
        assertThat(json.get("store")).isEqualTo("sqlite");
        assertThat(json.get("workload")).isEqualTo("drain");
        assertThat(json.get("jobs")).isEqualTo(JOBS);
        assertThat(json.get("workers")).isEqualTo(4);
        assertThat(((Number) json.get("insert_per_s")).doubleValue()).isPositive();
        assertThat(((Number) json.get("process_per_s")).doubleValue()).isPositive();
        assertThat(json.get("p50_ms")).isNull();
        assertThat(json.get("p95_ms")).isNull();
        assertThat(json.get("p99_ms")).isNull();
    }

    @Test
    void commandLinePrintsTheTableThenOneJsonLinePerSystem() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = BenchMain.run(new String[] {"bench", "--store", "sqlite", "--db", "jdbc:sqlite:" + dir.resolve("x.db"),
                "--workload", "drain", "--jobs", "200", "--workers", "2"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));

        assertThat(code).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.getFirst()).startsWith("system");
        assertThat(lines.getLast()).startsWith("{\"system\":\"sluice\",\"store\":\"sqlite\",\"workload\":\"drain\",\"jobs\":200");
    }
}
