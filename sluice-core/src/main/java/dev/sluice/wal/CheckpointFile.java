package dev.sluice.wal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sluice.internal.Json;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes {@code checkpoint.json} atomically: the new content goes to a temporary file
 * that is fsynced, renamed over the old one, and the directory is fsynced so that the rename
 * itself survives a power cut. A reader therefore sees the old checkpoint or the new one, never a
 * mix. Stateless.
 */
final class CheckpointFile {
    static final String NAME = "checkpoint.json";
    private static final String TEMP = "checkpoint.json.tmp";

    private CheckpointFile() {
    }

    /** The result of reading: a checkpoint, nothing (first start), or why it is unreadable. */
    record Loaded(Checkpoint checkpoint, String problem) {
    }

    static Loaded read(Path dir) {
        Path file = dir.resolve(NAME);
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            Checkpoint c = Json.mapper().readValue(text, Checkpoint.class);
            if (c.version() != Checkpoint.VERSION) {
                return new Loaded(null, "checkpoint format version " + c.version() + " is unknown");
            }
            return new Loaded(c, null);
        } catch (NoSuchFileException e) {
            return new Loaded(null, null);
        } catch (JsonProcessingException e) {
            return new Loaded(null, "checkpoint is unreadable: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Loaded(null, "checkpoint cannot be read: " + e);
        }
    }

    static void write(Path dir, Checkpoint checkpoint) throws IOException {
        byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(checkpoint);
        Path temp = dir.resolve(TEMP);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(temp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
    }

    /** Makes creations, renames and deletions in {@code dir} durable. */
    static void syncDirectory(Path dir) throws IOException {
        // Appenders commit on their own threads in durable mode, and an interrupt closes a
        // FileChannel mid-call: the fsync is done with interrupts held back, then restored.
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                    ch.force(true);
                    return;
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    // interrupted meanwhile, which closed the channel: fsync again on a new one
                    interrupted |= Thread.interrupted();
                    if (attempt == 3) {
                        throw e;
                    }
                } catch (IOException e) {
                    // Some file systems (and Windows) cannot open a directory for fsync; the rename
                    // is still atomic there, only its durability across a power cut is the OS's.
                    if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
                        throw e;
                    }
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
