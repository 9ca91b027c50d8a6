/**
 * Sluice: durable job processing for the JVM on SQL. Start with {@link dev.sluice.Sluice#builder()}.
 */
package dev.sluice;
