/** Micrometer meters for jobs: counters per event, queue depth gauges, duration and wait timers. */
package dev.sluice.metrics;
