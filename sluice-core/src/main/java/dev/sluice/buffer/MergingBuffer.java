package dev.sluice.buffer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/** One item per key, merged as pushed, in first-push order of the keys. Not thread-safe. */
final class MergingBuffer<T, K> implements ItemBuffer<T> {
    private final Function<? super T, ? extends K> key;
    private final BinaryOperator<T> merge;
    private Map<K, T> items = new LinkedHashMap<>();

    MergingBuffer(Function<? super T, ? extends K> key, BinaryOperator<T> merge) {
        if (key == null || merge == null) {
            throw new IllegalArgumentException("a merging buffer needs a key function and a merge function");
        }
        this.key = key;
        this.merge = merge;
    }

    @Override
    public void push(T item) {
        items.merge(key.apply(item), item, merge);
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public List<T> drain() {
        List<T> out = new ArrayList<>(items.values());
        items = new LinkedHashMap<>();
        return out;
    }
}
