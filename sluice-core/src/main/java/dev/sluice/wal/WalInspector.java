package dev.sluice.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads a log directory without changing it. Stateless. */
public final class WalInspector {

    private WalInspector() {
    }

    /**
     * Reads every segment and the checkpoint of {@code dir}.
     *
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static WalInspection inspect(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                throw new NoSuchFileException(dir + " is not a directory");
            }
            CheckpointFile.Loaded loaded = CheckpointFile.read(dir);
            Checkpoint checkpoint = loaded.checkpoint();
            long flushedThrough = checkpoint == null ? 0 : checkpoint.flushedThroughId();
            long logId = checkpoint == null ? 0 : checkpoint.logId();
            List<WalInspection.SegmentInfo> segments = new ArrayList<>();
            long lastId = 0;
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (SegmentFormat.firstIdOf(name) < 0) {
                        continue;
                    }
                    long[] unflushed = new long[1];
                    SegmentScan scan;
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                        scan = SegmentScan.scan(name, new SegmentReader(SegmentSource.of(ch)), lastId, (o, s, r) -> {
                            if (r.entryId() > flushedThrough) {
                                unflushed[0]++;
                            }
                        });
                    }
                    if (scan.records() > 0) {
                        lastId = scan.lastEntryId();
                    }
                    if (logId == 0) {
                        logId = scan.logId();
                    }
                    Checkpoint.Mark mark = checkpoint == null ? null : checkpoint.mark(name);
                    long flushedOffset = mark == null ? SegmentFormat.HEADER_SIZE : mark.flushedOffset();
                    segments.add(new WalInspection.SegmentInfo(scan, flushedOffset, unflushed[0]));
                }
            }
            Path corrupt = dir.resolve(Quarantine.DIR);
            List<String> corruptFiles = new ArrayList<>();
            List<String> report = new ArrayList<>();
            if (Files.isDirectory(corrupt)) {
                try (Stream<Path> files = Files.list(corrupt)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> !n.equals(Quarantine.REPORT)).sorted()
                            .forEach(corruptFiles::add);
                }
                Path r = corrupt.resolve(Quarantine.REPORT);
                if (Files.exists(r)) {
                    report.addAll(Files.readAllLines(r));
                }
            }
            return new WalInspection(dir, logId, DirectoryLock.heldElsewhere(dir), flushedThrough, loaded.problem(),
                    segments, corruptFiles, report);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the write-ahead log in " + dir + ": " + e.getMessage(), e);
        }
    }
}
