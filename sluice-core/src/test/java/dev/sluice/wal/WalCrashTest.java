package dev.sluice.wal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.internal.Json;
import dev.sluice.job.Activity;
import dev.sluice.job.ActivityQuery;
import dev.sluice.job.Job;
import dev.sluice.job.JobPage;
import dev.sluice.job.JobQuery;
import dev.sluice.store.jdbc.Dialect;
import dev.sluice.testing.TestDatabase;
import dev.sluice.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 in the middle of durable appends: a child JVM appends from many threads and prints
 * every acknowledged entry; it is killed with SIGKILL while it runs; recovery at the next start
 * replays what the database had not seen. Every acknowledged entry must then be in the database
 * exactly once, and nothing at all twice.
 */
abstract class WalCrashTest {
    private static final int THREADS = 8;
    private static final int ACKS_BEFORE_KILL = 1500;

    @TempDir
    Path dir;

    abstract Dialect dialect();

    @Test
    void everyAcknowledgedEntryIsInTheDatabaseExactlyOnceAfterSigkill() throws Exception {
        try (TestDatabase db = TestDatabases.create(dialect())) {
            Path wal = dir.resolve("wal");
            long batch = 42;
            String kind = "crash.token";
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), WalCrashChild.class.getName(),
                    db.jdbcUrl(), db.user() == null ? "" : db.user(), db.password() == null ? "" : db.password(),
                    wal.toString(), Long.toString(batch), kind, Integer.toString(THREADS))
                    .redirectError(dir.resolve("child.err").toFile())
                    .start();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            Thread reader = Thread.ofPlatform().name("sluice-test-child-stdout").start(() -> copy(child.getInputStream(), stdout));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (countAcks(stdout) < ACKS_BEFORE_KILL && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("the child runs until killed; its stderr is in %s", dir.resolve("child.err"))
                    .isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no final fsync
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            List<String> acked = completeLines(stdout).stream().filter(l -> l.startsWith("ACK "))
                    .map(l -> l.substring(4)).toList();
            assertThat(acked.size()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

            try (Sluice restarted = db.sluice().wal(WalConfig.defaults(wal)).build()) {
                assertThat(restarted.awaitWalFlushed(Duration.ofSeconds(60))).isTrue();
                Map<String, Integer> inDatabase = new HashMap<>();
                for (Activity a : allActivities(restarted, batch)) {
                    inDatabase.merge(a.message(), 1, Integer::sum);
                }
                JobPage page = restarted.jobs(JobQuery.all().kind(kind).limit(1000));
                while (true) {
                    for (Job j : page.jobs()) {
                        inDatabase.merge(Json.tree(j.payload()).get("token").asText(), 1, Integer::sum);
                    }
                    if (page.jobs().size() < 1000) {
                        break;
                    }
                    page = restarted.jobs(JobQuery.all().kind(kind).limit(1000).after(page));
                }
                List<String> missing = new ArrayList<>();
                for (String token : acked) {
                    if (!inDatabase.containsKey(token)) {
                        missing.add(token);
                    }
                }
                assertThat(missing).as("acknowledged but missing after recovery").isEmpty();
                assertThat(inDatabase.entrySet().stream().filter(e -> e.getValue() > 1).toList())
                        .as("entries in the database more than once").isEmpty();
                System.out.printf("crash test on %s: %d acknowledged, %d in the database, %d replayed at restart%n",
                        dialect(), acked.size(), inDatabase.size(), restarted.walRecovery().orElseThrow().unflushed());
            }
        }
    }

    private static List<Activity> allActivities(Sluice s, long batch) {
        List<Activity> all = new ArrayList<>();
        ActivityQuery query = ActivityQuery.batch(batch).limit(ActivityQuery.MAX_LIMIT);
        while (true) {
            List<Activity> page = s.activities(query);
            all.addAll(page);
            if (page.size() < ActivityQuery.MAX_LIMIT) {
                return all;
            }
            query = query.after(page.getLast());
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                synchronized (out) {
                    out.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the child died
        }
    }

    /** Acknowledged entries the child has printed so far: complete ACK lines only, as counted after the kill. */
    private static long countAcks(ByteArrayOutputStream out) {
        return completeLines(out).stream().filter(l -> l.startsWith("ACK ")).count();
    }

    private static List<String> completeLines(ByteArrayOutputStream out) {
        String text;
        synchronized (out) {
            text = out.toString(StandardCharsets.UTF_8);
        }
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        lines.removeLast();
        return lines;
    }
}
