/**
 * The job systems measured: Sluice through its public API, and the baselines (a hand-written
 * SQL queue, db-scheduler, JobRunr), all behind {@link dev.sluice.bench.system.QueueSystem}.
 */
package dev.sluice.bench.system;
