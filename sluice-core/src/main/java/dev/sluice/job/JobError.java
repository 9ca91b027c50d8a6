package dev.sluice.job;

import java.time.Instant;

/**
 * One failed attempt in a job's error history.
 *
 * @param attempt the attempt number that failed (1 for the first run)
 * @param at when the failure was recorded
 * @param message what went wrong
 * @param node the node that ran the attempt
 */
public record JobError(int attempt, Instant at, String message, String node) {
}
