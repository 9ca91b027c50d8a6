package dev.sluice.bench.db;

import java.util.Locale;

/**
 * The databases the benchmark runs on, with the server each one reaches when no {@code --db} is
 * given. Immutable.
 */
public enum StoreKind {
    SQLITE("sqlite", null, null, null),
    POSTGRESQL("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", ""),
    MARIADB("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", "");

    private final String label;
    private final String defaultUrl;
    private final String defaultUser;
    private final String defaultPassword;

    StoreKind(String label, String defaultUrl, String defaultUser, String defaultPassword) {
        this.label = label;
        this.defaultUrl = defaultUrl;
        this.defaultUser = defaultUser;
        this.defaultPassword = defaultPassword;
    }

    /** The name used on the command line and in the results. */
    public String label() {
        return label;
    }

    /** The server (and database used to create others) when {@code --db} is not given; null for SQLite. */
    public String defaultUrl() {
        return defaultUrl;
    }

    public String defaultUser() {
        return defaultUser;
    }

    public String defaultPassword() {
        return defaultPassword;
    }

    /** Parses a command-line name; fails naming the accepted ones. */
    public static StoreKind parse(String name) {
        for (StoreKind kind : values()) {
            if (kind.label.equals(name.toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown store '" + name + "': use sqlite, postgresql or mariadb");
    }

    @Override
    public String toString() {
        return label;
    }
}
