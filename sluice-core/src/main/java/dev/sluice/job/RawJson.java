package dev.sluice.job;

/**
 * A payload that is already JSON text; it is stored as given, after a check that it parses.
 *
 * @param json the JSON document
 */
public record RawJson(String json) {
}
