package dev.sluice.wal;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A segment file open for appending. Written through {@link RandomAccessFile} and fsynced through
 * its file descriptor rather than through a {@code FileChannel}: in durable mode appenders write
 * and fsync on their own threads, and an interrupt of a thread inside a channel operation closes
 * the channel for every thread, which would fail the log for good. Not thread-safe: written by
 * one thread at a time; the syncer may fsync and close it meanwhile.
 */
final class SegmentOutput implements Closeable {
    private final RandomAccessFile file;

    private SegmentOutput(RandomAccessFile file) {
        this.file = file;
    }

    /** Opens an existing segment to append from {@code size} bytes on. */
    static SegmentOutput openAt(Path path, long size) throws IOException {
        RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw");
        try {
            file.seek(size);
        } catch (IOException e) {
            file.close();
            throw e;
        }
        return new SegmentOutput(file);
    }

    /** Creates a segment file; fails if it exists. */
    static SegmentOutput create(Path path) throws IOException {
        Files.createFile(path);
        return openAt(path, 0);
    }

    /** Writes every remaining byte of a heap buffer; returns how many. */
    int write(ByteBuffer bytes) throws IOException {
        int n = bytes.remaining();
        file.write(bytes.array(), bytes.arrayOffset() + bytes.position(), n);
        bytes.position(bytes.limit());
        return n;
    }

    /** Flushes what was written to the disk. */
    void sync() throws IOException {
        file.getFD().sync();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
