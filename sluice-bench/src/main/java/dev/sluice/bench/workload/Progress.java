package dev.sluice.bench.workload;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A one-line progress display on stderr, rewritten in place ({@code \r}) every second while a
 * phase runs (rarely enough to stay readable when stderr goes to a file): what is done, of how
 * many, and the rate so far. Close it to end the line. Thread-safe.
 */
public final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final String label;
    private final LongSupplier done;
    private final long total;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;

    private Progress(PrintStream out, String label, LongSupplier done, long total) {
        this.out = out;
        this.label = label;
        this.done = done;
        this.total = total;
        this.ticker = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("bench-progress").unstarted(r));
    }

    /** Starts showing {@code label}: {@code done} of {@code total} (0 for open-ended). */
    public static Progress show(PrintStream out, String label, LongSupplier done, long total) {
        Progress p = new Progress(out, label, done, total);
        p.ticker.scheduleAtFixedRate(p::print, 1, 1, TimeUnit.SECONDS);
        return p;
    }

    private void print() {
        long n = done.getAsLong();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String of = total > 0 ? " / " + total : "";
        out.printf("\r  %-34s %9d%s  (%.0f/s, %.1f s)   ", label, n, of, seconds > 0 ? n / seconds : 0.0, seconds);
        out.flush();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        print();
        out.println();
    }
}
