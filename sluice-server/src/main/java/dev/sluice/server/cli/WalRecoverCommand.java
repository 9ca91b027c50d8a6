package dev.sluice.server.cli;

import dev.sluice.Sluice;
import dev.sluice.wal.RecoveryReport;
import dev.sluice.wal.WalConfig;
import dev.sluice.wal.WalDamage;
import dev.sluice.wal.WalHealth;
import dev.sluice.wal.WalInspector;
import dev.sluice.wal.WalStats;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice wal recover DIR --db URL}: repairs the log (torn tails cut, corrupt records moved
 * aside) and replays what the database has not seen, now, with progress. Entries the database
 * already has are recognised and skipped, so running it twice is harmless. Exits 0 when every
 * record is in the database.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = "Replay the records of a write-ahead log that the database has not seen yet.")
final class WalRecoverCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The write-ahead log directory.")
    Path dir;

    @Option(names = "--db", required = true, paramLabel = "JDBC_URL",
            description = "The database (jdbc:sqlite:FILE, jdbc:postgresql://…, jdbc:mariadb://…).")
    String url;

    @Option(names = "--user", description = "Database user.")
    String user;

    @Option(names = "--password", description = "Database password.", defaultValue = "")
    String password;

    @Option(names = "--timeout", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "600")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!Files.isDirectory(dir)) {
            System.err.println(dir + " is not a directory");
            return 1;
        }
        if (WalInspector.inspect(dir).inUse()) {
            System.err.println(dir + " is in use by a running node: it replays its log itself");
            return 1;
        }
        WalConfig config = WalConfig.defaults(dir).enableRecovery(false);
        try (Sluice sluice = Sluice.builder().jdbcUrl(url, user, password).wal(config).build()) {
            RecoveryReport report = sluice.walRecovery().orElseThrow();
            out.printf("write-ahead log %s: %d segment(s), %d record(s), %d not yet in the database%n",
                    dir.toAbsolutePath(), report.segments(), report.records(), report.unflushed());
            for (WalDamage d : report.damages()) {
                out.println("  repaired: " + d);
            }
            report.notes().forEach(n -> out.println("  note: " + n));
            ProgressLine progress = new ProgressLine(out, System.console() != null);
            long total = report.unflushed();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (true) {
                WalHealth health = sluice.walHealth().orElseThrow();
                long done = Math.max(0, total - health.backlog());
                progress.update(done, total, health.state() == WalHealth.State.HEALTHY ? "replaying"
                        : health.state() + ": " + health.lastError());
                if (health.backlog() == 0) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    progress.finish();
                    out.printf("gave up after %d s: %d record(s) still wait on disk (%s)%n", timeoutSeconds,
                            health.backlog(), health.lastError() == null ? "database slow" : health.lastError());
                    return 1;
                }
                sluice.awaitWalFlushed(Duration.ofMillis(500));
            }
            progress.finish();
            WalStats stats = sluice.walStats().orElseThrow();
            out.printf("done: %d record(s) written, %d already in the database and skipped%n", stats.entriesFlushed(),
                    stats.duplicatesSkipped());
            return 0;
        }
    }
}
