package dev.sluice.store;

/**
 * A sliding-window rate limit applied at fetch.
 *
 * @param name the counter's name
 * @param max starts allowed per window
 * @param periodMillis the window's length
 */
public record RateWindow(String name, int max, long periodMillis) {
}
