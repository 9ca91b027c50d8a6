package dev.sluice.server.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar. On a terminal it redraws in place; elsewhere (CI logs, pipes) it
 * prints a new line at most every few seconds so that logs stay readable. Not thread-safe.
 */
final class ProgressLine {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean terminal;
    private long lastPrintNanos;
    private String last = "";

    ProgressLine(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    void update(long done, long total, String detail) {
        String line = render(done, total, detail);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
            out.flush();
        } else if (System.nanoTime() - lastPrintNanos > 2_000_000_000L || done == total) {
            if (!line.equals(last)) {
                out.println(line);
            }
            lastPrintNanos = System.nanoTime();
        }
        last = line;
    }

    void finish() {
        if (terminal) {
            out.println();
        }
    }

    static String render(long done, long total, String detail) {
        double fraction = total == 0 ? 1 : Math.min(1, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format("%3d%% %d/%d", Math.round(fraction * 100), done, total)
                + (detail.isEmpty() ? "" : "  " + detail);
    }
}
