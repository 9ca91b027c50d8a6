package dev.sluice.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code corrupt/} folder of a log: damaged bytes are copied there, one file per damaged
 * stretch ({@code <segment>@<offset>.bad}), and each is described by a line in
 * {@code corrupt/report.txt} (time, segment, offset, length, kind, reason). Nothing is deleted
 * from here by Sluice: it is for a person to look at. Thread-safe.
 */
final class Quarantine {
    static final String DIR = "corrupt";
    static final String REPORT = "report.txt";
    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    private final Path dir;

    Quarantine(Path logDir) {
        this.dir = logDir.resolve(DIR);
    }

    Path dir() {
        return dir;
    }

    /** Copies the damaged bytes of {@code segment} aside and reports them; returns the copy's path. */
    synchronized Path moveAside(Path segment, WalDamage damage) throws IOException {
        Files.createDirectories(dir);
        Path copy = dir.resolve(damage.segment() + "@" + damage.offset() + ".bad");
        for (int i = 2; Files.exists(copy); i++) {
            copy = dir.resolve(damage.segment() + "@" + damage.offset() + "-" + i + ".bad");
        }
        try (FileChannel in = FileChannel.open(segment, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(copy, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long done = 0;
            while (done < damage.length()) {
                long n = in.transferTo(damage.offset() + done, damage.length() - done, out);
                if (n <= 0) {
                    break;
                }
                done += n;
            }
            out.force(true);
        }
        report(damage, copy.getFileName().toString());
        return copy;
    }

    /** Adds a line to the report without copying anything (a torn tail, cut off). */
    synchronized void report(WalDamage damage, String copy) throws IOException {
        Files.createDirectories(dir);
        String line = Instant.now() + "\t" + damage.segment() + "\toffset=" + damage.offset() + "\tlength="
                + damage.length() + "\t" + damage.kind() + "\t" + damage.reason()
                + (copy == null ? "" : "\tcopy=" + copy) + "\n";
        try (FileChannel out = FileChannel.open(dir.resolve(REPORT), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        LOG.warn("WAL damage: {}{}", damage, copy == null ? "" : " (bytes copied to " + dir.resolve(copy) + ")");
    }
}
