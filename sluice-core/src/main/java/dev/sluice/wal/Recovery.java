package dev.sluice.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a log directory: reads the checkpoint, reads every segment end to end, and repairs what a
 * crash or a bad disk left behind, before anything is appended.
 * <ul>
 *   <li>A torn tail (a record cut short at the end of a file: the write the crash interrupted) is
 *       cut off by truncating the file. It was never acknowledged as durable.</li>
 *   <li>A corrupt stretch (checksum, length or order wrong) is copied to {@code corrupt/} with a
 *       line in {@code corrupt/report.txt}; the segment is then rewritten without it (temporary
 *       file, fsync, atomic rename, fsync of the directory). The records around it are kept.</li>
 *   <li>A segment whose header is damaged is rewritten with a good header; its records are read
 *       all the same, since their framing does not depend on the header.</li>
 * </ul>
 * Nothing here throws on bad data: every problem becomes a line in the {@link RecoveryReport}.
 * Only I/O errors (the disk itself failing) end the opening. Stateless.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    /**
     * The opened log: its identity, segments, where appending continues, and the report.
     *
     * @param lastRecordId the highest entry id of a record left on disk after repairs (0 for none);
     *                     {@code nextId} may be higher, when the checkpoint or a damaged record
     *                     counted ids that no record holds any more
     */
    record Opened(long logId, SegmentCatalog catalog, Segment active, long nextId, long lastRecordId,
                  Checkpoint checkpoint, long flushedThroughId, RecoveryReport report) {
    }

    static Opened open(Path dir, Quarantine quarantine) throws IOException {
        Files.createDirectories(dir);
        List<String> notes = new ArrayList<>();
        CheckpointFile.Loaded loaded = CheckpointFile.read(dir);
        Checkpoint checkpoint = loaded.checkpoint();
        if (loaded.problem() != null) {
            notes.add(loaded.problem() + "; every record on disk is offered to the database again"
                    + " (entries it already has are recognised and skipped)");
        }
        long flushedThrough = checkpoint == null ? 0 : checkpoint.flushedThroughId();
        List<Path> files = segmentFiles(dir, notes);
        long logId = checkpoint == null ? 0 : checkpoint.logId();
        if (logId == 0) {
            logId = firstValidLogId(files);
        }
        SegmentCatalog catalog = new SegmentCatalog();
        List<WalDamage> damages = new ArrayList<>();
        long lastId = 0;
        long records = 0;
        long unflushed = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            long nameFirstId = SegmentFormat.firstIdOf(name);
            SegmentScan scan;
            List<long[]> good = new ArrayList<>();
            long[] counts = new long[1];
            long threshold = flushedThrough;
            // Opened for writing only to fsync: a relaxed-mode record that reached the page cache but
            // not the disk before the process died must be durable before it may be flushed.
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.force(true);
                scan = SegmentScan.scan(name, new SegmentReader(SegmentSource.of(ch)), lastId, (offset, size, r) -> {
                    good.add(new long[] {offset, size});
                    if (r.entryId() > threshold) {
                        counts[0]++;
                    }
                });
            }
            if (scan.headerProblem() == null && logId != 0 && scan.logId() != logId) {
                notes.add(name + " belongs to another log (id " + Long.toHexString(scan.logId()) + ", this log is "
                        + Long.toHexString(logId) + "): moved to " + Quarantine.DIR + "/ whole, not replayed");
                Files.createDirectories(quarantine.dir());
                Files.move(file, quarantine.dir().resolve(name + ".foreign"), StandardCopyOption.REPLACE_EXISTING);
                continue;
            }
            if (logId == 0) {
                logId = newLogId();
            }
            boolean rewrite = scan.headerProblem() != null;
            if (rewrite) {
                notes.add(name + ": " + scan.headerProblem() + "; the segment was rewritten with a good header");
            }
            for (WalDamage d : scan.damages()) {
                damages.add(d);
                if (d.kind() == WalDamage.Kind.TORN_TAIL) {
                    quarantine.report(d, null);
                } else {
                    quarantine.moveAside(file, d);
                    rewrite |= d.offset() + d.length() < scan.size();
                }
            }
            long size;
            if (rewrite) {
                size = rewrite(dir, file, logId, nameFirstId >= 0 ? nameFirstId : Math.max(scan.firstEntryId(), 1), good);
            } else if (scan.validEnd() < scan.size()) {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.truncate(scan.validEnd());
                    ch.force(true);
                }
                size = scan.validEnd();
            } else {
                size = scan.size();
            }
            long firstId = nameFirstId >= 0 ? nameFirstId : scan.firstEntryId();
            if (scan.records() > 0) {
                lastId = scan.lastEntryId();
            }
            records += scan.records();
            unflushed += counts[0];
            catalog.add(new Segment(file, firstId, scan.records() > 0 ? scan.lastEntryId() : firstId - 1,
                    scan.records(), Math.max(size, SegmentFormat.HEADER_SIZE)));
        }
        if (logId == 0) {
            logId = newLogId();
        }
        long nextId = Math.max(lastId, Math.max(flushedThrough, checkpoint == null ? 0 : checkpoint.lastEntryId())) + 1;
        List<Segment> all = catalog.list();
        Segment active;
        if (all.isEmpty() || all.getLast().size() < SegmentFormat.HEADER_SIZE) {
            active = create(dir, logId, nextId);
            catalog.add(active);
        } else {
            active = all.getLast();
            nextId = Math.max(nextId, active.firstId());
        }
        for (Segment s : catalog.list()) {
            if (s != active) {
                s.seal();
            }
        }
        RecoveryReport report = new RecoveryReport(catalog.count(), records, unflushed, 0, damages, notes);
        if (!damages.isEmpty() || !notes.isEmpty()) {
            LOG.warn("WAL {} opened with repairs: {} damaged stretch(es), notes: {}", dir, damages.size(), notes);
        }
        return new Opened(logId, catalog, active, nextId, lastId, checkpoint, flushedThrough, report);
    }

    private static List<Path> segmentFiles(Path dir, List<String> notes) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(".repair")) {
                    Files.deleteIfExists(p); // an interrupted rewrite: the original is still in place
                } else if (SegmentFormat.firstIdOf(name) >= 0 && Files.isRegularFile(p)) {
                    out.add(p);
                } else if (name.endsWith(SegmentFormat.SUFFIX)) {
                    notes.add("ignored " + name + ": not a segment name");
                }
            }
        }
        return out;
    }

    private static long firstValidLogId(List<Path> files) throws IOException {
        for (Path f : files) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                SegmentFormat.Header h = new SegmentReader(SegmentSource.of(ch)).header();
                if (h.valid()) {
                    return h.logId();
                }
            }
        }
        return 0;
    }

    private static long newLogId() {
        SecureRandom random = new SecureRandom();
        long id;
        do {
            id = random.nextLong() & Long.MAX_VALUE;
        } while (id == 0);
        return id;
    }

    /** Writes a new segment for {@code firstId} holding only its header. */
    static Segment create(Path dir, long logId, long firstId) throws IOException {
        Path path = dir.resolve(SegmentFormat.fileName(firstId));
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = SegmentFormat.header(logId, firstId);
            while (h.hasRemaining()) {
                ch.write(h);
            }
            ch.force(true);
        }
        CheckpointFile.syncDirectory(dir);
        return new Segment(path, firstId, firstId - 1, 0, SegmentFormat.HEADER_SIZE);
    }

    /** Rewrites a segment with a good header and only its valid records; returns its new size. */
    private static long rewrite(Path dir, Path file, long logId, long firstId, List<long[]> good) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".repair");
        long size = 0;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = SegmentFormat.header(logId, firstId);
            while (h.hasRemaining()) {
                size += out.write(h);
            }
            for (long[] range : good) {
                long done = 0;
                while (done < range[1]) {
                    long n = in.transferTo(range[0] + done, range[1] - done, out);
                    if (n <= 0) {
                        throw new IOException("short read while rewriting " + file);
                    }
                    done += n;
                }
                size += range[1];
            }
            out.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        CheckpointFile.syncDirectory(dir);
        return size;
    }
}
