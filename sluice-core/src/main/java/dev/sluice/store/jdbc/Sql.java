package dev.sluice.store.jdbc;

import java.util.List;

/**
 * One named statement from a dialect's .sql file, with its {@code :name} parameters turned into
 * positional markers. Binding is by name ({@link SqlParams}), never by counted index.
 *
 * @param name the statement's name, as after {@code -- name:}
 * @param text the statement with {@code ?} markers
 * @param params the parameter name of each marker, in order
 * @param replan true when the block carries {@code -- plan: each-execution}: the database plans the
 *     statement with its actual parameters every time instead of caching a generic plan (see
 *     {@link Dialect#planEachExecution})
 */
public record Sql(String name, String text, List<String> params, boolean replan) {
    private static final java.util.regex.Pattern REPLAN =
            java.util.regex.Pattern.compile("(?m)^\\s*--\\s*plan:\\s*each-execution\\s*$");

    public Sql {
        params = List.copyOf(params);
    }

    /**
     * Parses {@code :name} parameters, leaving quoted text, {@code ::} casts and comments alone.
     */
    static Sql parse(String name, String source) {
        StringBuilder out = new StringBuilder(source.length());
        java.util.ArrayList<String> params = new java.util.ArrayList<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = source.indexOf(c, i + 1);
                end = end < 0 ? n : end + 1;
                out.append(source, i, end);
                i = end;
            } else if (c == '-' && i + 1 < n && source.charAt(i + 1) == '-') {
                int end = source.indexOf('\n', i);
                end = end < 0 ? n : end;
                i = end;
            } else if (c == ':' && i + 1 < n && source.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && Character.isJavaIdentifierStart(source.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && Character.isJavaIdentifierPart(source.charAt(j))) {
                    j++;
                }
                params.add(source.substring(i + 1, j));
                out.append('?');
                i = j;
            } else {
                out.append(c);
                i++;
            }
        }
        return new Sql(name, out.toString().strip(), params, REPLAN.matcher(source).find());
    }
}
