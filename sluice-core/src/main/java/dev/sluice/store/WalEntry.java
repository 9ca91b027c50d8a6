package dev.sluice.store;

/**
 * A value read back from the write-ahead log, with the id that makes applying it idempotent.
 *
 * @param entryId the entry's id in its log
 * @param value what it says
 */
public record WalEntry<T>(long entryId, T value) {
}
