package dev.sluice.wal;

/**
 * One record of the log.
 *
 * @param entryId its id: unique in its log, increasing in append order
 * @param type what the payload is, 1 to 255, chosen by the writer (see {@link WalJournal})
 * @param payload the bytes appended; not copied, do not change them
 */
public record WalRecord(long entryId, int type, byte[] payload) {
}
