/**
 * Where {@link dev.sluice.buffer.BufferedQueue} keeps its batches: the {@link
 * dev.sluice.buffer.store.BatchStore} SPI and its three implementations, made by {@link
 * dev.sluice.buffer.store.BatchStores}: in memory, a SQLite file of the queue's own, and the
 * {@code sluice_buffer_batch} table of a Sluice database (SQLite, PostgreSQL or MariaDB).
 * Stores hold no policy: the queue decides when a batch is retried, parked or deleted.
 */
package dev.sluice.buffer.store;
