package dev.sluice.wal;

import java.nio.file.Path;

/**
 * One segment file as the running log knows it. The writer sets the fields while it appends and
 * seals the segment when it rolls to the next; the flusher and the janitor read them. Thread-safe
 * through volatile fields: each has one writer.
 */
final class Segment {
    private final String name;
    private final Path path;
    private final long firstId;
    private volatile long lastId;
    private volatile long records;
    private volatile long size;
    private volatile boolean sealed;

    Segment(Path path, long firstId, long lastId, long records, long size) {
        this.path = path;
        this.name = path.getFileName().toString();
        this.firstId = firstId;
        this.lastId = lastId;
        this.records = records;
        this.size = size;
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    /** The id this segment was created for (its name); its first record has this id or a higher one. */
    long firstId() {
        return firstId;
    }

    /** The last id written into it, or firstId - 1 while it holds none. */
    long lastId() {
        return lastId;
    }

    long records() {
        return records;
    }

    /** Bytes written (header included). */
    long size() {
        return size;
    }

    /** True once a newer segment exists: nothing more is written here. */
    boolean sealed() {
        return sealed;
    }

    void written(long lastId, long records, long size) {
        this.lastId = lastId;
        this.records = records;
        this.size = size;
    }

    void seal() {
        this.sealed = true;
    }

    @Override
    public String toString() {
        return name;
    }
}
