package dev.sluice.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The statements of one dialect, loaded from {@code dev/sluice/sql/<dialect>/<file>.sql}. A file
 * is a sequence of blocks, each headed {@code -- name: statementName}. Blocks whose name starts
 * with {@code fragment.} are not statements: {@code ${fragment.x}} in a statement is replaced by
 * the fragment's text (for example the database clock, which each dialect spells differently).
 * Asking for a statement that does not exist fails at start-up, not at first use.
 */
public final class SqlStatements {
    private static final Pattern HEADER = Pattern.compile("(?m)^--\\s*name:\\s*([A-Za-z0-9_.]+)\\s*$");
    private static final Pattern FRAGMENT_REF = Pattern.compile("\\$\\{(fragment\\.[A-Za-z0-9_]+)}");

    private final String dialect;
    private final Map<String, Sql> statements;

    private SqlStatements(String dialect, Map<String, Sql> statements) {
        this.dialect = dialect;
        this.statements = Map.copyOf(statements);
    }

    /** Loads and parses every named file of {@code dialect}. */
    public static SqlStatements load(String dialect, String... files) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (String file : files) {
            raw.putAll(blocks(read(resource(dialect, file + ".sql"))));
        }
        Map<String, String> fragments = new HashMap<>();
        raw.forEach((name, text) -> {
            if (name.startsWith("fragment.")) {
                fragments.put(name, text.strip());
            }
        });
        Map<String, Sql> parsed = new HashMap<>();
        raw.forEach((name, text) -> {
            if (!name.startsWith("fragment.")) {
                parsed.put(name, Sql.parse(name, expand(dialect, name, text, fragments)));
            }
        });
        return new SqlStatements(dialect, parsed);
    }

    /** The statement called {@code name}; fails naming the dialect when it is missing. */
    public Sql get(String name) {
        Sql sql = statements.get(name);
        if (sql == null) {
            throw new IllegalStateException("no statement '" + name + "' in the " + dialect + " SQL files");
        }
        return sql;
    }

    /** Fails at once unless every one of {@code names} exists. */
    public void require(String... names) {
        for (String name : names) {
            get(name);
        }
    }

    static String resource(String dialect, String file) {
        return "dev/sluice/sql/" + dialect + "/" + file;
    }

    static String read(String path) {
        try (InputStream in = SqlStatements.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("SQL resource missing: " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read SQL resource " + path, e);
        }
    }

    static Map<String, String> blocks(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HEADER.matcher(text);
        String name = null;
        int start = 0;
        while (m.find()) {
            if (name != null) {
                out.put(name, text.substring(start, m.start()));
            }
            name = m.group(1);
            start = m.end();
        }
        if (name != null) {
            out.put(name, text.substring(start));
        }
        return out;
    }

    private static String expand(String dialect, String name, String text, Map<String, String> fragments) {
        Matcher m = FRAGMENT_REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String fragment = fragments.get(m.group(1));
            if (fragment == null) {
                throw new IllegalStateException("statement '" + name + "' of " + dialect + " uses unknown " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(fragment));
        }
        m.appendTail(out);
        String result = out.toString().strip();
        return result.endsWith(";") ? result.substring(0, result.length() - 1) : result;
    }
}
