package dev.sluice.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a log directory (a file lock on {@code LOCK}), so that two processes, or
 * two logs in one process, never append to or replay the same segments. The operating system
 * releases it when the process dies, even by SIGKILL. Thread-safe.
 */
final class DirectoryLock implements AutoCloseable {
    static final String NAME = "LOCK";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static DirectoryLock acquire(Path dir) throws IOException {
        FileChannel ch = FileChannel.open(dir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new WalException("the write-ahead log in " + dir + " is in use by another process or another log"
                    + " in this one; a log directory belongs to one node at a time");
        }
        return new DirectoryLock(ch, lock);
    }

    /** True when another holder has the directory (for read-only inspection). */
    static boolean heldElsewhere(Path dir) {
        try (FileChannel ch = FileChannel.open(dir.resolve(NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
