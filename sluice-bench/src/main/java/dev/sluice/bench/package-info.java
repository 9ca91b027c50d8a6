/**
 * The Sluice benchmark: {@link dev.sluice.bench.BenchMain} measures Sluice and its baselines on
 * SQLite, PostgreSQL or MariaDB under a drain or a stream workload.
 */
package dev.sluice.bench;
