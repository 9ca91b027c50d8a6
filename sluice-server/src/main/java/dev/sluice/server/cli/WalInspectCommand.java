package dev.sluice.server.cli;

import dev.sluice.wal.WalDamage;
import dev.sluice.wal.WalInspection;
import dev.sluice.wal.WalInspector;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice wal inspect DIR}: segments, records, how far each was flushed, and anything
 * corrupt, without changing the directory. Exits 0 when the log is sound, 2 when it holds damage,
 * 1 when it cannot be read.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show the segments of a write-ahead log, how far each was flushed, and anything corrupt.")
final class WalInspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "The write-ahead log directory.")
    Path dir;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        WalInspection w;
        try {
            w = WalInspector.inspect(dir);
        } catch (UncheckedIOException e) {
            System.err.println(e.getMessage());
            return 1;
        }
        out.printf("write-ahead log %s%n", w.directory().toAbsolutePath());
        out.printf("log id %s, %s%n", w.logId() == 0 ? "unknown" : Long.toHexString(w.logId()),
                w.inUse() ? "in use by a running node" : "not in use");
        out.printf("checkpoint: %s%n", w.checkpointProblem() != null ? w.checkpointProblem()
                : w.flushedThroughId() == 0 ? "nothing flushed to the database yet"
                : "every entry up to " + w.flushedThroughId() + " is in the database");
        out.println();
        out.printf("%-26s %12s %9s %12s %12s %12s %10s  %s%n", "segment", "bytes", "records", "first id", "last id",
                "flushed to", "unflushed", "state");
        for (WalInspection.SegmentInfo s : w.segments()) {
            var scan = s.scan();
            String state = !scan.damages().isEmpty() || scan.headerProblem() != null ? "DAMAGED"
                    : s.unflushed() == 0 ? "flushed" : s.unflushed() == scan.records() ? "unflushed" : "partly flushed";
            out.printf("%-26s %12d %9d %12s %12s %12d %10d  %s%n", scan.segment(), scan.size(), scan.records(),
                    id(scan.firstEntryId()), id(scan.lastEntryId()), s.flushedOffset(), s.unflushed(), state);
        }
        out.printf("%-26s %12s %9d %12s %12s %12s %10d%n", "total", "", w.records(), "", "", "", w.unflushed());
        if (!w.damages().isEmpty() || w.segments().stream().anyMatch(s -> s.scan().headerProblem() != null)) {
            out.println();
            out.println("damage (repaired at the next start: torn tails cut, corrupt records moved to corrupt/):");
            for (WalInspection.SegmentInfo s : w.segments()) {
                if (s.scan().headerProblem() != null) {
                    out.printf("  %s: header: %s%n", s.scan().segment(), s.scan().headerProblem());
                }
            }
            for (WalDamage d : w.damages()) {
                out.println("  " + d);
            }
        }
        if (!w.corruptFiles().isEmpty() || !w.corruptReport().isEmpty()) {
            out.println();
            out.printf("corrupt/: %d file(s) moved aside earlier%n", w.corruptFiles().size());
            w.corruptReport().forEach(line -> out.println("  " + line));
        }
        return w.damages().isEmpty() ? 0 : 2;
    }

    private static String id(long id) {
        return id < 0 ? "-" : Long.toString(id);
    }
}
