/**
 * {@link dev.sluice.buffer.BufferedQueue}: a typed, buffered, batched and persistent queue.
 * Items are pushed into memory at memory speed, stored as one encoded batch per flush, and taken
 * by workers, several batches at a time if asked, merged through an {@link
 * dev.sluice.buffer.ItemBuffer} and handed to a {@link dev.sluice.buffer.BatchProcessor}.
 * Storage is chosen among the {@link dev.sluice.buffer.store.BatchStore}s.
 */
package dev.sluice.buffer;
