package dev.sluice.store;

/**
 * How many jobs of one queue are in one state.
 *
 * @param queue the queue
 * @param state the state's stored name
 * @param count the number of jobs
 */
public record QueueStateCount(String queue, String state, long count) {
}
