/**
 * The write-ahead log: a directory of segment files that takes writes at memory speed, makes
 * them durable with one fsync per group of records, and flushes them to the database in batches,
 * each entry at most once. After a crash, recovery cuts torn tails, moves corrupt records aside
 * with a report, and replays what the database has not seen yet.
 *
 * <p>{@link dev.sluice.wal.WriteAheadLog} is the log itself, independent of what the records
 * mean; {@link dev.sluice.wal.WalJournal} is Sluice's use of it (buffered enqueue, activity logs,
 * job completions). See docs/wal.md for the design and the guarantees.
 */
package dev.sluice.wal;
