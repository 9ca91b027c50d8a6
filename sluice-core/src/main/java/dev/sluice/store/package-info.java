/**
 * The storage SPI: one small interface per aggregate (jobs, nodes, leader leases, schedules), no logic.
 * The JDBC implementation for SQLite, PostgreSQL and MariaDB lives in {@code jdbc}.
 */
package dev.sluice.store;
