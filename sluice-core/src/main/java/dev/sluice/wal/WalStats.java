package dev.sluice.wal;

/**
 * A snapshot of the log's counters since it was opened.
 *
 * @param entriesBuffered records appended
 * @param entriesFlushed records written to the database (replays of entries already there not counted)
 * @param duplicatesSkipped records the database already had (replays after a crash)
 * @param flushOperations batches written
 * @param averageFlushMillis mean time of a batch write
 * @param p99FlushMillis 99th percentile of the last 1,024 batch writes
 * @param lagEntries records on disk not yet in the database
 * @param lagSeconds how long the oldest of them has waited
 * @param segments segment files on disk
 * @param fsyncs group commits (one fsync round each)
 * @param recordsPerFsync records made durable per group commit, on average
 * @param flushFailures failed batch writes
 * @param backpressureRejections appends refused because the backlog stayed full
 * @param corruptRecords damaged stretches found and moved aside
 */
public record WalStats(long entriesBuffered, long entriesFlushed, long duplicatesSkipped, long flushOperations,
                       double averageFlushMillis, double p99FlushMillis, long lagEntries, double lagSeconds,
                       int segments, long fsyncs, double recordsPerFsync, long flushFailures,
                       long backpressureRejections, long corruptRecords) {
}
