/**
 * The store SPI on JDBC for SQLite, PostgreSQL and MariaDB. Every statement lives in
 * {@code resources/dev/sluice/sql/<dialect>/*.sql} under a {@code -- name:} header; Java names
 * statements and binds their {@code :parameters} by name.
 */
package dev.sluice.store.jdbc;
