package dev.sluice.store.jdbc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter values by name for one execution of a {@link Sql}. Not thread-safe; build one per call.
 */
public final class SqlParams {
    private final Map<String, Object> values = new HashMap<>();

    private SqlParams() {
    }

    public static SqlParams of() {
        return new SqlParams();
    }

    /** Sets a value: String, Long, Integer, Double, Boolean, null, or a {@link SqlList}. */
    public SqlParams set(String name, Object value) {
        values.put(name, value);
        return this;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Object get(String name) {
        return values.get(name);
    }

    /**
     * A list bound as one parameter: an array on PostgreSQL, a JSON array elsewhere (read there
     * with {@code json_each} or {@code JSON_TABLE}).
     *
     * @param elementType the SQL element type name, such as {@code text} or {@code bigint}
     * @param values the elements; nulls allowed
     */
    public record SqlList(String elementType, List<?> values) {
        public SqlList {
            values = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(values));
        }

        public static SqlList text(List<String> values) {
            return new SqlList("text", values);
        }

        public static SqlList bigint(List<Long> values) {
            return new SqlList("bigint", values);
        }

        public static SqlList integer(List<Integer> values) {
            return new SqlList("integer", values);
        }
    }
}
