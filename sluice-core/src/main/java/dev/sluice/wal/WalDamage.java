package dev.sluice.wal;

/**
 * A stretch of a segment that holds no valid record.
 *
 * @param segment the segment's file name
 * @param offset where the damage starts, in bytes from the start of the file
 * @param length how many bytes are damaged
 * @param kind a torn tail (a record cut short at the end: a write the crash interrupted) or
 *             corruption (a record whose checksum, length or order is wrong)
 * @param reason what was wrong, for the report
 */
public record WalDamage(String segment, long offset, long length, Kind kind, String reason) {

    /** What kind of damage. */
    public enum Kind {
        /** The end of the file holds a record cut short: cut off. */
        TORN_TAIL,
        /** Bytes that fail their checksum or framing: moved aside to {@code corrupt/}. */
        CORRUPT
    }

    @Override
    public String toString() {
        return segment + " at offset " + offset + " (" + length + " bytes): " + kind + ": " + reason;
    }
}
