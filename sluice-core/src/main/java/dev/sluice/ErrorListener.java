package dev.sluice;

/**
 * Receives errors of Sluice's background loops (fetching, completion writes, heartbeats,
 * rescue, pruning, schedules), which are otherwise only logged. Called on the loop's thread; must not block.
 */
@FunctionalInterface
public interface ErrorListener {

    /**
     * @param loop the loop's name, such as {@code fetch:default}, {@code completer}, or
     *             {@code schedule:<name>} for a schedule that failed to fire
     * @param error what went wrong; the loop carries on and retries
     */
    void onError(String loop, Throwable error);
}
