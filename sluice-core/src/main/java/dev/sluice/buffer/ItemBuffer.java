package dev.sluice.buffer;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * Items held in memory, in the order they are handed out. A queue holds one for pushes and one
 * per worker take; it gives each its own instance from a supplier. An implementation may
 * aggregate, as {@link #merging} does, and then holds fewer items than were pushed.
 *
 * <p>Not thread-safe: the queue never uses one instance from two threads at once.
 */
public interface ItemBuffer<T> {

    /** Adds one item. */
    void push(T item);

    /** The items held now (after any aggregation). */
    int size();

    /** Returns the items held, in order, and empties the buffer. */
    List<T> drain();

    /** Keeps every item, in push order (the default). */
    static <T> ItemBuffer<T> appending() {
        return new AppendingBuffer<>();
    }

    /**
     * Keeps one item per key: an item whose key is already held is merged into the held one with
     * {@code merge(held, pushed)}. Items stay in the order their key was first pushed.
     */
    static <T, K> ItemBuffer<T> merging(Function<? super T, ? extends K> key, BinaryOperator<T> merge) {
        return new MergingBuffer<>(key, merge);
    }
}
