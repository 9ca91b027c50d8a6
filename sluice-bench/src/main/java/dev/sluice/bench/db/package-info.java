/** The databases a benchmark run creates, one fresh database per measured system. */
package dev.sluice.bench.db;
