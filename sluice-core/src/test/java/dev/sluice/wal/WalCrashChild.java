package dev.sluice.wal;

import dev.sluice.Sluice;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link WalCrashTest}: appends from many threads in durable mode through Sluice
 * (activity logs and buffered jobs) and prints {@code ACK <token>} for each append that returned,
 * until it is killed. It stops by itself after a minute should its parent be gone.
 *
 * <p>Arguments: jdbc url, user, password, log directory, batch id, job kind, threads.
 */
public final class WalCrashChild {

    record Token(String token) {
    }

    private WalCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1].isEmpty() ? null : args[1];
        String password = args[2];
        Path dir = Path.of(args[3]);
        long batch = Long.parseLong(args[4]);
        String kind = args[5];
        int threads = Integer.parseInt(args[6]);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Sluice sluice = Sluice.builder().jdbcUrl(url, user, password).poolSize(4)
                .wal(WalConfig.defaults(dir).mode(WalMode.DURABLE).batchSize(50))
                .build();
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            producers.add(Thread.ofPlatform().name("sluice-test-producer-" + t).start(() -> {
                for (int i = 0; ; i++) {
                    String token = "t" + thread + "-" + i;
                    if (i % 5 == 0) {
                        sluice.enqueueBuffered(kind, new Token(token));
                    } else {
                        sluice.logBatch(batch, "ack", token);
                    }
                    synchronized (out) {
                        out.println("ACK " + token);
                    }
                }
            }));
        }
        out.println("READY");
        Thread.sleep(Duration.ofSeconds(60));
        System.exit(3);
    }
}
