package dev.sluice.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {

    @Test
    void demoRunsTheMixedWorkloadToTheEndAndSaysWhereTheDataLives(@TempDir Path dir) {
        Path db = dir.resolve("demo.db");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try {
            System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
            code = SluiceCli.run("demo", "--db", db.toString());
        } finally {
            System.setOut(original);
        }
        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(code).as(output).isZero();
        assertThat(output)
                .contains("Data lives in " + db.toAbsolutePath())
                .contains("100% 307/307")
                .contains("unsupported image format")
                .contains("payload does not decode as Image")
                .contains("Done: 305 completed, 2 discarded as intended.");
        assertThat(Files.exists(db)).isTrue();
    }

    @Test
    void progressLineShowsFractionAndCounts() {
        assertThat(ProgressLine.render(25, 100, "running 3"))
                .isEqualTo("[########----------------------]  25% 25/100  running 3");
        assertThat(ProgressLine.render(0, 0, "")).startsWith("[##############################] 100% 0/0");
    }
}
