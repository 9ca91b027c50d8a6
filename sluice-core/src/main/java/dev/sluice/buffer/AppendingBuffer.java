package dev.sluice.buffer;

import java.util.ArrayList;
import java.util.List;

/** Every item, in push order. Not thread-safe. */
final class AppendingBuffer<T> implements ItemBuffer<T> {
    private List<T> items = new ArrayList<>();

    @Override
    public void push(T item) {
        items.add(item);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public List<T> drain() {
        List<T> out = items;
        items = new ArrayList<>();
        return out;
    }
}
