package dev.sluice.bench.wal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --sweep}: durable appends with each number of producers on both kinds of thread, the disk
 * alone, and the chart. Asserts nothing about speed.
 */
class WalSweepTest {
    @TempDir
    Path dir;

    private String run(int expectedExit, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = WalBenchmark.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), args);
        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isEqualTo(expectedExit);
        return output;
    }

    @Test
    void measuresEveryProducerCountOnBothKindsOfThreadAndTheDiskAndDrawsTheChart() throws Exception {
        Path chart = dir.resolve("charts/group-commit.png");
        String output = run(0, "--workload", "wal", "--sweep", "1,3", "--seconds", "1", "--chart", chart.toString(),
                "--dir", dir.resolve("bench").toString());

        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertThat(lines).hasSize(5);
        ObjectMapper json = new ObjectMapper();
        for (String line : lines.subList(0, 4)) {
            Map<?, ?> l = json.readValue(line, Map.class);
            assertThat(l.get("mode")).isEqualTo("durable");
            assertThat(((Number) l.get("appends_per_s")).doubleValue()).as(line).isPositive();
        }
        assertThat(lines).extracting(l -> json.readValue(l, Map.class).get("producers") + " "
                + json.readValue(l, Map.class).get("threads"))
                .containsExactly("1 platform", "3 platform", "1 virtual", "3 virtual", "1 platform");
        assertThat(json.readValue(lines.get(4), Map.class).get("system")).isEqualTo("disk");
        byte[] png = Files.readAllBytes(chart);
        assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    }

    @Test
    void aChartWithoutASweepOrAProducerCountBelowOneIsRefused() {
        run(2, "--workload", "wal", "--chart", dir.resolve("c.png").toString());
        run(2, "--workload", "wal", "--sweep", "1,0");
        run(2, "--workload", "wal", "--sweep", "1,x");
        assertThat(dir.resolve("c.png")).doesNotExist();
    }
}
