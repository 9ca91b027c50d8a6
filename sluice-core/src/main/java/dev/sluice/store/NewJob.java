package dev.sluice.store;

/**
 * A validated job ready to insert.
 *
 * @param kind the handler's name
 * @param queue the queue
 * @param state {@code available} or {@code scheduled}
 * @param priority higher runs first
 * @param payload JSON text
 * @param tags JSON array text
 * @param maxAttempts attempts allowed
 * @param runAtMillis absolute run time in epoch milliseconds, or null to use the delay
 * @param delayMillis delay from the database clock's now when runAtMillis is null
 */
public record NewJob(String kind, String queue, String state, int priority, String payload, String tags,
                     int maxAttempts, Long runAtMillis, long delayMillis) {
}
